package io.rwautoscaler.core.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The one definition of "held for" every loop shares: a condition held for a window only when the data covers that
 * window. {@code observed} is how much of the window the data reaches; a window is covered when
 * {@code observed + tolerance >= window}. Missing data is never "held": it leaves the window uncovered.
 *
 * <ul>
 * <li>receiver policy: the points of {@code min_over_time((EXPR)[15m:30s])} counted with {@code count_over_time},
 *     {@link #fromPoints} (at least 90% of the steps must have a point);</li>
 * <li>shard tuner: how long a condition has held since the later of its last break and the first sample
 *     ({@link #of}, no tolerance);</li>
 * <li>right-sizing: the usage series' observed time against the minimum data ({@link #of}, no tolerance).</li>
 * </ul>
 *
 * @param window    what the rule needs
 * @param observed  how much of it the data reaches, between zero and {@code window}
 * @param tolerance how much of the window may be missing (gaps, the last scrape not yet in)
 */
public record WindowCoverage(Duration window, Duration observed, Duration tolerance) {

    /** Share of a subquery's steps that must have a point: a 15m window at 30s needs 27 of its 30 points. */
    public static final double POINT_SHARE = 0.9;

    public WindowCoverage {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(tolerance, "tolerance");
        if (window.isNegative() || tolerance.isNegative()) {
            throw new IllegalArgumentException("window and tolerance are not negative: " + window + ", " + tolerance);
        }
        observed = observed.isNegative() ? Duration.ZERO : observed.compareTo(window) > 0 ? window : observed;
    }

    /** The data reaches {@code observed} back; no tolerance. */
    public static WindowCoverage of(Duration window, Duration observed) {
        return new WindowCoverage(window, observed, Duration.ZERO);
    }

    /** The data starts at {@code firstSample}: it reaches back {@code now - firstSample}. */
    public static WindowCoverage since(Duration window, Instant firstSample, Instant now) {
        return of(window, Duration.between(firstSample, now));
    }

    /**
     * {@code points} of a subquery over {@code window} at resolution {@code step} had data. Covered when at least
     * {@link #POINT_SHARE} of the steps have a point ({@code points × step ≥ window × 0.9}). The data is said to reach
     * back {@code (points - 1) × step}: the first point is at least that old, and no older point is claimed, so a
     * "held since" drawn from it is never earlier than the data.
     */
    public static WindowCoverage fromPoints(Duration window, Duration step, double points) {
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        Duration resolution = step.compareTo(window) > 0 ? window : step;
        double whole = Double.isFinite(points) ? Math.floor(Math.max(0, Math.min(points, 1e9))) : 0;
        long observedMillis = whole >= 1 ? (long) (whole - 1) * resolution.toMillis() : 0L;
        long missingShare = Math.round(window.toMillis() * (1 - POINT_SHARE));
        // one step for the newest point (its step has not passed yet) plus the share that may be missing
        Duration tolerance = whole >= 1 ? resolution.plusMillis(missingShare) : Duration.ofMillis(missingShare);
        return new WindowCoverage(window, Duration.ofMillis(observedMillis), tolerance);
    }

    /** The caller vouches that the data covers the window (simulations, recorded data checked elsewhere). */
    public static WindowCoverage full(Duration window) {
        return of(window, window);
    }

    public boolean covered() {
        return observed.plus(tolerance).compareTo(window) >= 0;
    }

    /**
     * The earliest instant a condition can be said to have held since: never before the data, never before the window.
     */
    public Instant earliestSince(Instant now) {
        return now.minus(observed);
    }

    /** {@code only 43s of 15m observed}; empty when covered. */
    public String shortfall() {
        return covered() ? ""
                : "only " + PromDuration.formatSeconds(observed) + " of " + PromDuration.formatSeconds(window) + " observed";
    }
}
