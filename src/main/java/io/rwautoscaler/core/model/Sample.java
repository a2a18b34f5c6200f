package io.rwautoscaler.core.model;

import java.time.Instant;
import java.util.AbstractMap;
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

        private static final Labels EMPTY = new Labels(new String[0], new String[0]);

        // Parallel arrays sorted by name: two objects per label set instead of a tree node per label, which is what
        // a refresh of 10,000 series allocates and what the garbage collector copies while the snapshot is young.
        private final String[] names;
        private final String[] values;
        private final int hash;

        private Labels(String[] names, String[] values) {
            this.names = names;
            this.values = values;
            int h = 0;
            for (int i = 0; i < names.length; i++) {
                h += names[i].hashCode() ^ Objects.hashCode(values[i]); // Map.hashCode's definition
            }
            this.hash = h;
        }

        /** {@code labels} itself when it is already a {@code Labels}, else an immutable sorted copy. */
        public static Labels of(Map<String, String> labels) {
            if (labels instanceof Labels l) {
                return l;
            }
            if (labels == null || labels.isEmpty()) {
                return EMPTY;
            }
            Map<String, String> sorted = labels instanceof java.util.SortedMap<String, String> m && m.comparator() == null
                    ? labels : new TreeMap<>(labels);
            String[] n = new String[sorted.size()];
            String[] v = new String[n.length];
            int i = 0;
            for (Entry<String, String> e : sorted.entrySet()) {
                n[i] = Objects.requireNonNull(e.getKey(), "label name");
                v[i++] = e.getValue();
            }
            return new Labels(n, v);
        }

        /**
         * Labels from parallel arrays, which it takes over (the caller must not change them afterwards); sorted here
         * unless already sorted by name, as Prometheus writes them. A name given twice keeps its last value.
         */
        public static Labels ofArrays(String[] names, String[] values) {
            if (names.length != values.length) {
                throw new IllegalArgumentException(names.length + " label names but " + values.length + " values");
            }
            if (names.length == 0) {
                return EMPTY;
            }
            for (int i = 1; i < names.length; i++) {
                if (names[i - 1].compareTo(names[i]) >= 0) {
                    Map<String, String> m = new TreeMap<>();
                    for (int j = 0; j < names.length; j++) {
                        m.put(names[j], values[j]);
                    }
                    return of(m);
                }
            }
            return new Labels(names, values);
        }

        private int indexOf(Object name) {
            if (!(name instanceof String n)) {
                return -1;
            }
            int i = java.util.Arrays.binarySearch(names, n);
            return i >= 0 ? i : -1;
        }

        @Override
        public String get(Object key) {
            int i = indexOf(key);
            return i >= 0 ? values[i] : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return names.length;
        }

        @Override
        public boolean isEmpty() {
            return names.length == 0;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Entry<String, String>> iterator() {
                    return new java.util.Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < names.length;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (i >= names.length) {
                                throw new java.util.NoSuchElementException();
                            }
                            Entry<String, String> e = new SimpleImmutableEntry<>(names[i], values[i]);
                            i++;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return names.length;
                }
            };
        }

        @Override
        public void forEach(java.util.function.BiConsumer<? super String, ? super String> action) {
            for (int i = 0; i < names.length; i++) {
                action.accept(names[i], values[i]);
            }
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
            if (o instanceof Labels l) {
                return l.hash == hash && java.util.Arrays.equals(names, l.names) && java.util.Arrays.equals(values, l.values);
            }
            return super.equals(o);
        }
    }
}
