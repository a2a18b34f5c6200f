package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.PromDuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowProofTest {

    static PolicyRule rule(String comparison, double threshold, String forDuration) {
        return new PolicyRule("r", "a / b", Comparison.fromSymbol(comparison).orElseThrow(), threshold,
                PromDuration.parse(forDuration).orElseThrow(), RuleAction.ADD_RECEIVERS, RunbookRules.RECEIVERS);
    }

    @ParameterizedTest(name = "{0} for {1} at step {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "MIN | 15m | 30s | min_over_time((a / b)[15m:30s])",
            "MAX | 1h  | 30s | max_over_time((a / b)[1h:30s])",
            "MIN | 90m | 1m  | min_over_time((a / b)[1h30m:1m])",
            "MAX | 30m | 15s | max_over_time((a / b)[30m:15s])",
            // a window shorter than the step is sampled at its own length, never an empty subquery
            "MIN | 10s | 30s | min_over_time((a / b)[10s:10s])",
            // no window: the current value alone decides
            "MIN | 0s  | 30s | (a / b)",
            "MAX | 0s  | 30s | (a / b)",
    })
    void rendersTheWindowSubquery(WindowExtreme extreme, String window, String step, String expected) {
        assertThat(WindowProof.render("a / b", extreme, PromDuration.parse(window).orElseThrow(),
                PromDuration.parse(step).orElseThrow())).isEqualTo(expected);
    }

    @Test
    void aboveThresholdForFifteenMinutesIsProvenByTheMinimum() {
        WindowProof proof = new WindowProof(rule(">", 5000, "15m"), WindowProof.DEFAULT_STEP);
        assertThat(proof.queries()).containsExactly(Map.entry(WindowExtreme.MIN, "min_over_time((a / b)[15m:30s])"));
        assertThat(proof.conditionQuery()).isEqualTo("min_over_time((a / b)[15m:30s]) > 5000");
        assertThat(proof.instantQuery()).isEqualTo("a / b");
    }

    @Test
    void belowThresholdIsProvenByTheMaximum() {
        WindowProof proof = new WindowProof(rule("<", 0.3, "1h"), WindowProof.DEFAULT_STEP);
        assertThat(proof.queries()).containsExactly(Map.entry(WindowExtreme.MAX, "max_over_time((a / b)[1h:30s])"));
        assertThat(proof.conditionQuery()).isEqualTo("max_over_time((a / b)[1h:30s]) < 0.3");
    }

    @Test
    void equalityAndInequalityNeedBothExtremes() {
        WindowProof equal = new WindowProof(rule("==", 0, "30m"), WindowProof.DEFAULT_STEP);
        assertThat(equal.queries()).containsExactly(
                Map.entry(WindowExtreme.MIN, "min_over_time((a / b)[30m:30s])"),
                Map.entry(WindowExtreme.MAX, "max_over_time((a / b)[30m:30s])"));
        assertThat(equal.conditionQuery()).isEqualTo(
                "(min_over_time((a / b)[30m:30s]) == 0) and (max_over_time((a / b)[30m:30s]) == 0)");
        WindowProof notEqual = new WindowProof(rule("!=", 2.5, "5m"), WindowProof.DEFAULT_STEP);
        assertThat(notEqual.conditionQuery()).isEqualTo(
                "(min_over_time((a / b)[5m:30s]) > 2.5) or (max_over_time((a / b)[5m:30s]) < 2.5)");
    }

    @ParameterizedTest(name = "threshold {0} renders as {1}")
    @CsvSource({"5000, 5000", "0.8, 0.8", "0.85, 0.85", "2, 2", "0, 0", "-1.5, -1.5", "1E-9, 1.0E-9", "1E20, 1.0E20"})
    void thresholdsRenderAsExactPromqlLiterals(double threshold, String literal) {
        assertThat(new WindowProof(rule(">=", threshold, "1m"), WindowProof.DEFAULT_STEP).conditionQuery())
                .endsWith(" >= " + literal);
    }

    /** min, max of the window (blank = no data) → the value that decides, and whether the rule's condition holds. */
    @ParameterizedTest(name = "{0} {1}: window [{2}, {3}] proves {4}")
    @CsvSource({
            ">,  5000, 5100, 9000, 5100",
            ">,  5000, 4900, 9000, 4900",
            ">,  5000, 5000, 9000, 5000",
            ">,  5000,     , 9000, ",
            ">=, 5000, 5000, 5000, 5000",
            "<,  0.3,  0.1,  0.29, 0.29",
            "<,  0.3,  0.1,  0.31, 0.31",
            "<,  0.3,  0.1,      , ",
            "<=, 0.3,  0.1,  0.3,  0.3",
            // equality: the threshold when the whole window equals it, else the extreme farthest away
            "==, 0,    0,    0,    0",
            "==, 0,    0,    12,   12",
            "==, 5,    1,    6,    1",
            "==, 0,    0,      ,   ",
            "==, 0,     ,    0,    ",
            // inequality: proven only when the whole window lies on one side
            "!=, 5,    6,    9,    6",
            "!=, 5,    1,    4,    4",
            "!=, 5,    1,    9,    5",
            "!=, 5,    5,    9,    5",
    })
    void provenValueFromTheWindowExtremes(String comparison, double threshold, Double min, Double max, Double expected) {
        PolicyRule rule = rule(comparison, threshold, "15m");
        OptionalDouble proven = new WindowProof(rule, WindowProof.DEFAULT_STEP).provenValue(optional(min), optional(max));
        assertThat(proven).isEqualTo(optional(expected));
    }

    @ParameterizedTest(name = "{0}: window [{1}, {2}] → fires {3}")
    @CsvSource({
            ">,  4999.9, 9000, false",
            ">,  5000.1, 9000, true",
            "==, 0,      0,    true",
            "==, 0,      1,    false",
            "!=, 5,      5,    false",
            "!=, 1,      9,    false",
            "!=, 6,      9,    true",
    })
    void theProvenValueSatisfiesTheConditionExactlyWhenTheWholeWindowDid(String comparison, double min, double max,
                                                                         boolean holds) {
        double threshold = comparison.equals(">") ? 5000 : comparison.equals("==") ? 0 : 5;
        PolicyRule rule = rule(comparison, threshold, "15m");
        OptionalDouble proven = new WindowProof(rule, WindowProof.DEFAULT_STEP)
                .provenValue(OptionalDouble.of(min), OptionalDouble.of(max));
        assertThat(rule.holds(proven.orElseThrow())).isEqualTo(holds);
    }

    @Test
    void nonFiniteExtremesAreNoData() {
        WindowProof proof = new WindowProof(rule(">", 1, "5m"), WindowProof.DEFAULT_STEP);
        assertThat(proof.provenValue(OptionalDouble.of(Double.NaN), OptionalDouble.empty())).isEmpty();
        assertThat(proof.provenValue(OptionalDouble.of(Double.POSITIVE_INFINITY), OptionalDouble.empty())).isEmpty();
    }

    @Test
    void stepMustBePositive() {
        assertThatThrownBy(() -> new WindowProof(rule(">", 1, "5m"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
