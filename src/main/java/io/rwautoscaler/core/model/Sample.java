package io.rwautoscaler.core.model;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One series' value as Prometheus returned it: its labels (without {@code __name__}), the value,
 * and the time the value was sampled (not the time we asked).
 */
public record Sample(Map<String, String> labels, double value, Instant timestamp) {

    public Sample {
        Objects.requireNonNull(timestamp, "timestamp");
        labels = Labels.of(labels);
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

    /**
     * A series' labels: immutable, sorted by name, hash computed once. Samples of the same series (a value and
     * its timestamp, the points of a range) share one instance instead of copying it, and a refresh that looks
     * series up by their labels does not rehash them.
     */
    public static final class Labels extends AbstractMap<String, String> {

        private static final Labels EMPTY = new Labels(Map.of());

        private final Map<String, String> sorted;
        private final int hash;

        private Labels(Map<String, String> sorted) {
            this.sorted = sorted;
            this.hash = sorted.hashCode();
        }

        /** {@code labels} itself when it is already a {@code Labels}, else an immutable sorted copy. */
        public static Labels of(Map<String, String> labels) {
            if (labels instanceof Labels l) {
                return l;
            }
            if (labels == null || labels.isEmpty()) {
                return EMPTY;
            }
            return new Labels(Collections.unmodifiableMap(new TreeMap<>(labels)));
        }

        @Override
        public String get(Object key) {
            return sorted.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return sorted.containsKey(key);
        }

        @Override
        public int size() {
            return sorted.size();
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return sorted.entrySet();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (o instanceof Labels l && l.hash != hash) {
                return false;
            }
            return super.equals(o);
        }
    }
}
