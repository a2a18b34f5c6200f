package io.rwautoscaler.core.replay;

import java.time.Duration;
import java.time.Instant;

/**
 * Evenly spaced instants, as a range query returns them: {@code start}, {@code start + step}, … ({@code size}
 * points). Series read at these instants are plain arrays indexed like the grid; a missing point is NaN.
 */
public record Grid(long startMillis, long stepMillis, int size) {

    public Grid {
        if (stepMillis <= 0) {
            throw new IllegalArgumentException("grid step must be positive, got " + stepMillis + "ms");
        }
        if (size < 1) {
            throw new IllegalArgumentException("grid needs at least one point, got " + size);
        }
    }

    /**
     * The grid of {@code step} multiples (since the epoch, as Prometheus aligns subquery steps) from the last one
     * at or before {@code from} to the first at or after {@code to}.
     */
    public static Grid aligned(Instant from, Instant to, Duration step) {
        long s = step.toMillis();
        long first = Math.floorDiv(from.toEpochMilli(), s) * s;
        long last = Math.floorDiv(to.toEpochMilli() + s - 1, s) * s;
        return new Grid(first, s, (int) ((last - first) / s + 1));
    }

    /** The grid that starts exactly at {@code from}: the decision steps of a window. */
    public static Grid of(ReplayWindow window) {
        return new Grid(window.from().toEpochMilli(), window.step().toMillis(), window.steps());
    }

    public long millis(int index) {
        return startMillis + index * stepMillis;
    }

    public Instant instant(int index) {
        return Instant.ofEpochMilli(millis(index));
    }

    public Instant start() {
        return Instant.ofEpochMilli(startMillis);
    }

    public Instant end() {
        return Instant.ofEpochMilli(millis(size - 1));
    }

    public Duration step() {
        return Duration.ofMillis(stepMillis);
    }

    /** Index of the last point at or before {@code millis}; -1 before the grid, clamped to the last point after it. */
    public int atOrBefore(long millis) {
        if (millis < startMillis) {
            return -1;
        }
        return (int) Math.min(size - 1, (millis - startMillis) / stepMillis);
    }

    /** Index of the first point at or after {@code millis}; 0 before the grid, {@code size} after it. */
    public int atOrAfter(long millis) {
        if (millis <= startMillis) {
            return 0;
        }
        return (int) Math.min(size, (millis - startMillis + stepMillis - 1) / stepMillis);
    }

    /** Index of a point exactly on the grid, or -1. */
    public int exactly(long millis) {
        long offset = millis - startMillis;
        if (offset < 0 || offset % stepMillis != 0 || offset / stepMillis >= size) {
            return -1;
        }
        return (int) (offset / stepMillis);
    }

    /** An array for a series on this grid, every point missing. */
    public double[] empty() {
        double[] values = new double[size];
        java.util.Arrays.fill(values, Double.NaN);
        return values;
    }
}
