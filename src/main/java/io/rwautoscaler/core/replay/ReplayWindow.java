package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.model.PromDuration;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The stretch of history a replay covers: decisions are taken at {@code from}, {@code from + step}, … up to
 * {@code to}. Bounded as Prometheus bounds a range query: at most {@link #MAX_LENGTH} and {@link #MAX_POINTS}
 * points per series, so one replay's data, and its time, stay bounded.
 */
public record ReplayWindow(Instant from, Instant to, Duration step) {

    public static final Duration MAX_LENGTH = Duration.ofDays(31);
    /** Prometheus refuses range queries with more points per series than this. */
    public static final int MAX_POINTS = 11_000;

    /**
     * @throws IllegalArgumentException saying what to change, when the window is empty, too long, or too fine
     */
    public ReplayWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be a positive duration, got " + step
                    + ": use e.g. step=5m");
        }
        if (step.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("step must be a whole number of seconds, got " + step.toMillis()
                    + "ms: use e.g. step=30s or step=5m");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to
                    + "): swap them or move from earlier");
        }
        Duration length = Duration.between(from, to);
        if (length.compareTo(MAX_LENGTH) > 0) {
            throw new IllegalArgumentException("the window is " + PromDuration.format(length.withNanos(0))
                    + " long, more than the " + MAX_LENGTH.toDays() + " days a replay covers: move from"
                    + " later or to earlier (replay a long stretch in several windows)");
        }
        long points = length.toMillis() / step.toMillis() + 1;
        if (points > MAX_POINTS) {
            long minStep = (length.toMillis() / (MAX_POINTS - 1) + 999) / 1000;
            throw new IllegalArgumentException("step " + PromDuration.format(step) + " gives " + points
                    + " points per series over " + PromDuration.format(length.withNanos(0)) + ", more than "
                    + MAX_POINTS + ": use a step of at least " + PromDuration.format(Duration.ofSeconds(minStep))
                    + " or a shorter window");
        }
    }

    /** Decision steps: {@code from}, {@code from + step}, … not after {@code to}. */
    public int steps() {
        return (int) (Duration.between(from, to).toMillis() / step.toMillis() + 1);
    }

    public Instant at(int index) {
        return from.plus(step.multipliedBy(index));
    }

    public Duration length() {
        return Duration.between(from, to);
    }
}
