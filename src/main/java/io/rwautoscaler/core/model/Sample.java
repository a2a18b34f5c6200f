package io.rwautoscaler.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One series' value as Prometheus returned it: its labels (without {@code __name__}), the value,
 * and the time the value was sampled (not the time we asked).
 */
public record Sample(Map<String, String> labels, double value, Instant timestamp) {

    public Sample {
        Objects.requireNonNull(timestamp, "timestamp");
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public String label(String name) {
        return labels.get(name);
    }

    /** NaN and ±Inf are never served: an HPA cannot act on them. */
    public boolean isFinite() {
        return Double.isFinite(value);
    }

    public Sample withTimestamp(Instant t) {
        return new Sample(labels, value, t);
    }
}
