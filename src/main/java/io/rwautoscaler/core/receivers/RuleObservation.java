package io.rwautoscaler.core.receivers;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What Prometheus answered for one rule in one cycle.
 *
 * @param provenValue  the window-proven value ({@link WindowProof#provenValue}); empty when the window had no data
 * @param instantValue the expression now; empty when it had no data
 */
public record RuleObservation(OptionalDouble provenValue, OptionalDouble instantValue) {

    public RuleObservation {
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
