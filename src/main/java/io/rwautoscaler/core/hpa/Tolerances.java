package io.rwautoscaler.core.hpa;

/** Upstream's {@code Tolerances}: how far the usage ratio may be from 1.0, per direction, before scaling. */
public record Tolerances(double scaleDown, double scaleUp) {

    public static Tolerances both(double tolerance) {
        return new Tolerances(tolerance, tolerance);
    }

    // Tolerances.isWithin: inclusive on both sides, so a ratio of exactly 1.1 does not scale up at 0.1.
    boolean isWithin(double usageRatio) {
        return (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp);
    }
}
