package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.WindowCoverage;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What Prometheus answered for one rule in one cycle.
 *
 * @param provenValue  the window-proven value ({@link WindowProof#provenValue}); empty when the window had no data
 * @param instantValue the expression now; empty when it had no data
 * @param coverage     how much of the {@code for} window the data reaches ({@code count_over_time} of the proof's
 *                     subquery); empty when the caller vouches for the whole window (simulations, replays)
 */
public record RuleObservation(OptionalDouble provenValue, OptionalDouble instantValue,
                              Optional<WindowCoverage> coverage) {

    /** An observation whose window the caller vouches is covered. */
    public RuleObservation(OptionalDouble provenValue, OptionalDouble instantValue) {
        this(provenValue, instantValue, Optional.empty());
    }

    public RuleObservation {
        coverage = coverage == null ? Optional.empty() : coverage;
        // NaN (0/0, an empty histogram) and ±Inf (a missing request) are not measurements: treat them as no data.
        provenValue = finite(Objects.requireNonNullElse(provenValue, OptionalDouble.empty()));
        instantValue = finite(Objects.requireNonNullElse(instantValue, OptionalDouble.empty()));
    }

    public static RuleObservation noData() {
        return new RuleObservation(OptionalDouble.empty(), OptionalDouble.empty());
    }

    public static RuleObservation of(double provenValue, double instantValue) {
        return new RuleObservation(OptionalDouble.of(provenValue), OptionalDouble.of(instantValue));
    }

    private static OptionalDouble finite(OptionalDouble value) {
        return value.isPresent() && Double.isFinite(value.getAsDouble()) ? value : OptionalDouble.empty();
    }
}
