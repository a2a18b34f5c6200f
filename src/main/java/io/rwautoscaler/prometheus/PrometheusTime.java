package io.rwautoscaler.prometheus;

import java.time.Instant;

/** Times as the Prometheus HTTP API writes them: Unix seconds with at most millisecond decimals (1764120000.123). */
public final class PrometheusTime {

    private PrometheusTime() {
    }

    /** Milliseconds since the epoch; a double holds such times exactly enough (2^53 ms is 285,000 years). */
    public static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }

    public static Instant instant(double seconds) {
        return Instant.ofEpochMilli(millis(seconds));
    }
}
