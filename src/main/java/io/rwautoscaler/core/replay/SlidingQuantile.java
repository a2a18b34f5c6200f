package io.rwautoscaler.core.replay;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * A quantile over a sliding window of values, as {@code quantile_over_time} computes it (linear interpolation
 * between the closest ranks), kept sorted so each step costs one insertion and one removal, not a sort of the
 * whole window: a 7-day p99 at every 5 m step of a week is 2,016 windows of 2,016 points per queue.
 */
final class SlidingQuantile {

    private double[] sorted;
    private int size;

    SlidingQuantile(int capacity) {
        sorted = new double[Math.max(4, capacity)];
    }

    /** NaN (no data) is not a value and is ignored. */
    void add(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        if (size == sorted.length) {
            sorted = Arrays.copyOf(sorted, size * 2);
        }
        int at = Arrays.binarySearch(sorted, 0, size, value);
        at = at < 0 ? -at - 1 : at;
        System.arraycopy(sorted, at, sorted, at + 1, size - at);
        sorted[at] = value;
        size++;
    }

    /** Removes one occurrence of a value {@link #add}ed before; NaN is ignored as it was on the way in. */
    void remove(double value) {
        if (Double.isNaN(value)) {
            return;
        }
        int at = Arrays.binarySearch(sorted, 0, size, value);
        if (at < 0) {
            throw new IllegalStateException("value " + value + " was never added");
        }
        System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
        size--;
    }

    int size() {
        return size;
    }

    OptionalDouble quantile(double q) {
        if (size == 0) {
            return OptionalDouble.empty();
        }
        double rank = q * (size - 1);
        int lower = (int) Math.max(0, Math.floor(rank));
        int upper = Math.min(size - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return OptionalDouble.of(sorted[lower] * (1 - weight) + sorted[upper] * weight);
    }
}
