package io.rwautoscaler.core.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One pod's sample, in milli-units, with the timestamp and window the metrics API reports (the window matters
 * for cpu: a sample whose window started before the pod turned Ready is not trusted during initialization).
 */
public record PodMetric(long valueMilli, Instant timestamp, Duration window) {
    public PodMetric {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(window, "window");
    }
}
