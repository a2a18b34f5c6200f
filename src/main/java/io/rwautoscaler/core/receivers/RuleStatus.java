package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.Figures;

import io.rwautoscaler.core.model.PromDuration;

import io.rwautoscaler.core.model.WindowCoverage;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One rule after one cycle: what the report shows and what the decision reads.
 *
 * @param provenValue  the value that decided the state (window-proven)
 * @param currentValue the expression's value now
 * @param heldFor      how long the condition has held without a break (zero when it does not hold now)
 * @param coverage     how much of the {@code for} window the data reached; empty when not measured
 */
public record RuleStatus(PolicyRule rule, RuleState state, OptionalDouble provenValue, OptionalDouble currentValue,
                         Duration heldFor, Optional<Instant> heldSince, Optional<WindowCoverage> coverage) {

    public RuleStatus(PolicyRule rule, RuleState state, OptionalDouble provenValue, OptionalDouble currentValue,
                      Duration heldFor, Optional<Instant> heldSince) {
        this(rule, state, provenValue, currentValue, heldFor, heldSince, Optional.empty());
    }

    public RuleStatus {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(state, "state");
        provenValue = Objects.requireNonNullElse(provenValue, OptionalDouble.empty());
        currentValue = Objects.requireNonNullElse(currentValue, OptionalDouble.empty());
        heldFor = heldFor == null ? Duration.ZERO : heldFor;
        heldSince = heldSince == null ? Optional.empty() : heldSince;
        coverage = coverage == null ? Optional.empty() : coverage;
    }

    /** Whether the data does not reach back the rule's window (the rule is UNKNOWN for that reason). */
    public boolean windowNotCovered() {
        return coverage.isPresent() && !coverage.get().covered();
    }

    public String name() {
        return rule.name();
    }

    public double threshold() {
        return rule.threshold();
    }

    public boolean firing() {
        return state == RuleState.FIRING;
    }

    /** One line for reasons and reports: {@code receiver-cpu-high: 0.87 > 0.8 for 10m (held 12m)}. */
    public String explanation() {
        String held = heldFor.isZero() ? "" : " (held " + PromDuration.format(heldFor.withNanos(0)) + ")";
        return switch (state) {
            case FIRING -> rule.name() + ": " + Figures.readable(provenValue.orElseThrow()) + " " + rule.condition() + held;
            case NOT_FIRING -> rule.name() + ": " + Figures.readable(currentValue.orElse(provenValue.orElseThrow()))
                    + ", fires at " + rule.condition() + held;
            case UNKNOWN -> rule.name() + ": " + (windowNotCovered() && provenValue.isPresent()
                    ? coverage.get().shortfall() + " (" + Figures.readable(provenValue.getAsDouble()) + " so far)"
                    : "no data") + ", unknown (not treated as fine); fires at " + rule.condition() + held;
        };
    }
}
