package io.rwautoscaler.core.receivers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PolicyValidatorTest {

    static Map<String, Object> cpuRule() {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "receiver-cpu-high");
        rule.put("expr", "avg(receiver_cpu)");
        rule.put("comparison", ">");
        rule.put("threshold", 0.8);
        rule.put("for", "10m");
        rule.put("action", "ADD_RECEIVERS");
        rule.put("target", "statefulset/monitoring/thanos-receive");
        return rule;
    }

    @SafeVarargs
    static Map<String, Object> document(Map<String, Object>... rules) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("rules", new ArrayList<>(java.util.Arrays.asList(rules)));
        return doc;
    }

    static Map<String, Object> ruleWith(String field, Object value) {
        Map<String, Object> rule = cpuRule();
        rule.put(field, value);
        return rule;
    }

    static Map<String, Object> ruleWithout(String field) {
        Map<String, Object> rule = cpuRule();
        rule.remove(field);
        return rule;
    }

    @Test
    void aMinimalDocumentGetsTheRunbookDefaultsAroundItsRules() {
        PolicyValidation read = PolicyValidator.validate(document(cpuRule()));
        assertThat(read.problems()).isEmpty();
        ReceiverPolicy policy = read.policy().orElseThrow();
        assertThat(policy.bounds()).isEqualTo(ReplicaBounds.RUNBOOK);
        assertThat(policy.capacity()).isEqualTo(ReceiverCapacity.RUNBOOK);
        assertThat(policy.evaluationStep()).isEqualTo(Duration.ofSeconds(30));
        PolicyRule rule = policy.rules().get(0);
        assertThat(rule.name()).isEqualTo("receiver-cpu-high");
        assertThat(rule.comparison()).isEqualTo(Comparison.GREATER);
        assertThat(rule.threshold()).isEqualTo(0.8);
        assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rule.action()).isEqualTo(RuleAction.ADD_RECEIVERS);
        assertThat(rule.target()).isEqualTo(RunbookRules.RECEIVERS);
    }

    @Test
    void policyLevelSettingsAreRead() {
        Map<String, Object> doc = document(cpuRule());
        doc.put("minReplicas", 4);
        doc.put("maxReplicas", 12L);
        doc.put("samplesPerSecondPerReceiver", new BigDecimal("4200.5"));
        doc.put("targetUtilization", Map.of("low", 0.6, "high", 0.75));
        doc.put("evaluationStep", "1m");
        ReceiverPolicy policy = PolicyValidator.validate(doc).policy().orElseThrow();
        assertThat(policy.bounds()).isEqualTo(new ReplicaBounds(4, 12));
        assertThat(policy.capacity().samplesPerSecondPerReceiver()).isEqualTo(4200.5);
        assertThat(policy.capacity().band()).isEqualTo(new UtilizationBand(0.6, 0.75));
        assertThat(policy.evaluationStep()).isEqualTo(Duration.ofMinutes(1));
    }

    /** Accepted spellings that are not the canonical ones. */
    static Stream<Arguments> acceptedVariants() {
        return Stream.of(
                arguments("integer threshold", (Consumer<Map<String, Object>>) r -> r.put("threshold", 5000)),
                arguments("long threshold", (Consumer<Map<String, Object>>) r -> r.put("threshold", 5000L)),
                arguments("BigDecimal threshold", (Consumer<Map<String, Object>>) r -> r.put("threshold", new BigDecimal("0.8"))),
                arguments("for: 0 as YAML integer", (Consumer<Map<String, Object>>) r -> r.put("for", 0)),
                arguments("for missing", (Consumer<Map<String, Object>>) r -> r.remove("for")),
                arguments("for: 1h30m", (Consumer<Map<String, Object>>) r -> r.put("for", "1h30m")),
                arguments("action in kebab case", (Consumer<Map<String, Object>>) r -> r.put("action", "add-receivers")),
                arguments("action in lower case", (Consumer<Map<String, Object>>) r -> r.put("action", "add_receivers")),
                arguments("plural target kind", (Consumer<Map<String, Object>>) r -> r.put("target", "statefulsets.apps/monitoring/thanos-receive")),
                arguments("block scalar expression", (Consumer<Map<String, Object>>) r -> r.put("expr", "avg(\n  receiver_cpu\n)\n")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedVariants")
    void acceptsReasonableSpellings(String description, Consumer<Map<String, Object>> change) {
        Map<String, Object> rule = cpuRule();
        change.accept(rule);
        PolicyValidation read = PolicyValidator.validate(document(rule));
        assertThat(read.errors()).isEmpty();
        assertThat(read.isValid()).isTrue();
    }

    /** One bad field in an otherwise valid rule: the error names the rule and the field. */
    static Stream<Arguments> badRuleFields() {
        return Stream.of(
                arguments(ruleWith("threshold", "80%"), "receiver-cpu-high", "threshold", "\"80%\" is a string", "80% is 0.8"),
                arguments(ruleWith("threshold", "0.8"), "receiver-cpu-high", "threshold", "is a string", "without quotes"),
                arguments(ruleWith("threshold", true), "receiver-cpu-high", "threshold", "must be a number", "boolean"),
                arguments(ruleWith("threshold", List.of(1)), "receiver-cpu-high", "threshold", "must be a number", "a list"),
                arguments(ruleWith("threshold", Double.NaN), "receiver-cpu-high", "threshold", "finite", "NaN"),
                arguments(ruleWith("threshold", Double.POSITIVE_INFINITY), "receiver-cpu-high", "threshold", "finite", "Infinity"),
                arguments(ruleWithout("threshold"), "receiver-cpu-high", "threshold", "missing", "missing"),
                arguments(ruleWith("action", "SCALE_UP"), "receiver-cpu-high", "action", "unknown action 'SCALE_UP'", "ADD_RECEIVERS"),
                arguments(ruleWith("action", ""), "receiver-cpu-high", "action", "is empty", "empty"),
                arguments(ruleWithout("action"), "receiver-cpu-high", "action", "missing", "missing"),
                arguments(ruleWith("comparison", "="), "receiver-cpu-high", "comparison", "unknown comparison '='", "equality is =="),
                arguments(ruleWith("comparison", "=>"), "receiver-cpu-high", "comparison", "unknown comparison '=>'", "> >= < <= == !="),
                arguments(ruleWith("comparison", 1), "receiver-cpu-high", "comparison", "must be a string", "a number"),
                arguments(ruleWith("for", "-5m"), "receiver-cpu-high", "for", "negative duration", "-5m"),
                arguments(ruleWith("for", "15 min"), "receiver-cpu-high", "for", "'15 min' is not a duration", "30s, 15m, 1h"),
                arguments(ruleWith("for", "1.5h"), "receiver-cpu-high", "for", "is not a duration", "1h30m"),
                arguments(ruleWith("for", 15), "receiver-cpu-high", "for", "the number 15 has no unit", "15m"),
                arguments(ruleWith("for", List.of("15m")), "receiver-cpu-high", "for", "must be a duration", "a list"),
                arguments(ruleWith("expr", ""), "receiver-cpu-high", "expr", "empty expression", "empty"),
                arguments(ruleWith("expr", "  \n "), "receiver-cpu-high", "expr", "empty expression", "empty"),
                arguments(ruleWithout("expr"), "receiver-cpu-high", "expr", "missing", "missing"),
                arguments(ruleWith("target", "thanos-receive"), "receiver-cpu-high", "target", "is not KIND/NAMESPACE/NAME", "statefulset/monitoring/thanos-receive"),
                arguments(ruleWith("target", "pod/monitoring/thanos-receive-0"), "receiver-cpu-high", "target", "is not KIND/NAMESPACE/NAME", "statefulset, deployment, daemonset"),
                arguments(ruleWith("threshhold", 0.8), "receiver-cpu-high", "threshhold", "unknown field", "threshold"),
                arguments(ruleWithout("name"), "rules[0]", "name", "missing", "missing"),
                arguments(ruleWith("name", "   "), "rules[0]", "name", "is empty", "empty"),
                arguments(ruleWith("name", 42), "rules[0]", "name", "must be a string", "a number"));
    }

    @ParameterizedTest(name = "{1}.{2}: {3}")
    @MethodSource("badRuleFields")
    void namesTheRuleAndFieldOfEachError(Map<String, Object> rule, String ruleName, String field, String message,
                                         String hint) {
        PolicyValidation read = PolicyValidator.validate(document(rule));
        assertThat(read.isValid()).isFalse();
        assertThat(read.policy()).isEmpty();
        assertThat(read.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.rule()).isEqualTo(ruleName);
            assertThat(problem.field()).isEqualTo(field);
            assertThat(problem.message()).contains(message).contains(hint);
            assertThat(problem.toString()).startsWith("error: rule '" + ruleName + "', field '" + field + "': ");
        });
    }

    /** Bad policy-level settings. */
    static Stream<Arguments> badPolicyFields() {
        return Stream.of(
                arguments("minReplicas", "3", "is a string"),
                arguments("minReplicas", 2.5, "whole number"),
                arguments("minReplicas", 0, "at least 1"),
                arguments("maxReplicas", 2, "below minReplicas 3"),
                arguments("samplesPerSecondPerReceiver", 0, "positive"),
                arguments("samplesPerSecondPerReceiver", -3500, "positive"),
                arguments("samplesPerSecondPerReceiver", "3500/s", "is a string"),
                arguments("targetUtilization", "70%-80%", "must be a mapping"),
                arguments("targetUtilization.high", "80%", "80% is 0.8"),
                arguments("targetUtilization.high", 80, "ratio above 0 and at most 1"),
                arguments("targetUtilization.low", 0.9, "low 0.9 must be below high 0.8"),
                arguments("targetUtilization.mid", 0.75, "unknown field"),
                arguments("evaluationStep", "0s", "longer than 0s"),
                arguments("evaluationStep", "half a minute", "is not a duration"),
                arguments("rules", "receiver-cpu-high", "must be a list of rules"),
                arguments("rule", List.of(), "unknown field"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badPolicyFields")
    void namesThePolicyFieldOfEachError(String field, Object value, String message) {
        Map<String, Object> doc = document(cpuRule());
        if (field.startsWith("targetUtilization.")) {
            Map<String, Object> band = new HashMap<>(Map.of("low", 0.7, "high", 0.8));
            band.put(field.substring("targetUtilization.".length()), value);
            doc.put("targetUtilization", band);
        } else {
            doc.put(field, value);
        }
        PolicyValidation read = PolicyValidator.validate(doc);
        assertThat(read.isValid()).isFalse();
        assertThat(read.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.rule()).isEmpty();
            assertThat(problem.field()).isEqualTo(field.equals("targetUtilization.low") ? "targetUtilization" : field);
            assertThat(problem.message()).contains(message);
        });
    }

    @Test
    void duplicateRuleNamesAreAnErrorEvenWhenOneCopyIsBroken() {
        Map<String, Object> broken = ruleWith("threshold", "80%");
        Map<String, Object> other = ruleWith("expr", "something_else");
        PolicyValidation read = PolicyValidator.validate(document(cpuRule(), other, broken));
        assertThat(read.isValid()).isFalse();
        assertThat(read.errors()).extracting(PolicyProblem::field).containsExactlyInAnyOrder("name", "name", "threshold");
        assertThat(read.errors()).filteredOn(p -> p.field().equals("name")).extracting(PolicyProblem::message)
                .containsExactly("duplicate rule name (rules[0] and rules[1])", "duplicate rule name (rules[0] and rules[2])");
    }

    @Test
    void opposingActionsThatCanFireTogetherOnTheSameTargetAndMetricAreAnError() {
        Map<String, Object> flipped = cpuRule();
        flipped.put("name", "receiver-cpu-low");
        flipped.put("expr", "avg( receiver_cpu )");
        flipped.put("comparison", "<");
        flipped.put("threshold", 0.9);
        flipped.put("action", "REMOVE_RECEIVERS");
        PolicyValidation read = PolicyValidator.validate(document(cpuRule(), flipped));
        assertThat(read.isValid()).isFalse();
        assertThat(read.errors()).singleElement().satisfies(problem -> {
            assertThat(problem.rule()).isEqualTo("receiver-cpu-low");
            assertThat(problem.field()).isEqualTo("action");
            assertThat(problem.message()).contains("contradicts rule 'receiver-cpu-high'")
                    .contains("'> 0.8 for 10m'").contains("'< 0.9 for 10m'")
                    .contains("ADD_RECEIVERS and REMOVE_RECEIVERS");
        });
    }

    @Test
    void opposingActionsWithAGapBetweenThresholdsAreTheRunbooksHysteresis() {
        Map<String, Object> low = cpuRule();
        low.put("name", "receiver-cpu-low");
        low.put("comparison", "<");
        low.put("threshold", 0.3);
        low.put("for", "1h");
        low.put("action", "REMOVE_RECEIVERS");
        PolicyValidation read = PolicyValidator.validate(document(cpuRule(), low));
        assertThat(read.problems()).isEmpty();
    }

    @Test
    void opposingActionsOnDifferentTargetsOrMetricsDoNotConflict() {
        Map<String, Object> otherTarget = ruleWith("target", "statefulset/monitoring/thanos-receive-b");
        otherTarget.put("name", "b-low");
        otherTarget.put("comparison", "<");
        otherTarget.put("threshold", 0.9);
        otherTarget.put("action", "REMOVE_RECEIVERS");
        Map<String, Object> otherMetric = ruleWith("expr", "avg(receiver_memory)");
        otherMetric.put("name", "memory-low");
        otherMetric.put("comparison", "<");
        otherMetric.put("threshold", 0.9);
        otherMetric.put("action", "REMOVE_RECEIVERS");
        assertThat(PolicyValidator.validate(document(cpuRule(), otherTarget, otherMetric)).problems()).isEmpty();
    }

    @Test
    void overlappingRulesWithTheSameActionAreAWarning() {
        Map<String, Object> twin = ruleWith("threshold", 0.9);
        twin.put("name", "receiver-cpu-very-high");
        PolicyValidation read = PolicyValidator.validate(document(cpuRule(), twin));
        assertThat(read.isValid()).isTrue();
        assertThat(read.warnings()).singleElement().satisfies(problem -> {
            assertThat(problem.rule()).isEqualTo("receiver-cpu-very-high");
            assertThat(problem.message()).contains("overlaps rule 'receiver-cpu-high'").contains("redundant");
            assertThat(problem.toString()).startsWith("warning: ");
        });
    }

    @Test
    void aWindowShorterThanTheStepIsAWarning() {
        PolicyValidation read = PolicyValidator.validate(document(ruleWith("for", "10s")));
        assertThat(read.isValid()).isTrue();
        assertThat(read.warnings()).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("for");
            assertThat(problem.message()).contains("shorter than the evaluation step 30s");
        });
    }

    @Test
    void anEmptyRuleListLoadsWithAWarning() {
        PolicyValidation read = PolicyValidator.validate(document());
        assertThat(read.isValid()).isTrue();
        assertThat(read.warnings()).extracting(PolicyProblem::message).containsExactly("no rules: nothing will ever be recommended");
    }

    @Test
    void aDocumentWithoutRulesIsAnError() {
        PolicyValidation read = PolicyValidator.validate(new HashMap<>(Map.of("minReplicas", 3)));
        assertThat(read.errors()).extracting(PolicyProblem::field).containsExactly("rules");
    }

    @Test
    void reportsEveryProblemInOnePass() {
        Map<String, Object> bad = ruleWith("threshold", "80%");
        bad.put("action", "SCALE_UP");
        bad.put("for", "-1m");
        Map<String, Object> doc = document(bad, cpuRule(), null);
        doc.put("maxReplicas", 1);
        PolicyValidation read = PolicyValidator.validate(doc);
        assertThat(read.errors()).extracting(p -> p.rule() + "." + p.field()).containsExactlyInAnyOrder(
                ".maxReplicas", "receiver-cpu-high.threshold", "receiver-cpu-high.action", "receiver-cpu-high.for",
                "receiver-cpu-high.name", "rules[2].");
    }

    static Stream<Map<String, Object>> garbage() {
        Map<String, Object> nonStringKeys = new HashMap<>();
        nonStringKeys.put("rules", List.of(Map.of(1, 2, 3, List.of())));
        Map<String, Object> nullKey = new HashMap<>();
        Map<Object, Object> ruleWithNullKey = new HashMap<>(cpuRule());
        ruleWithNullKey.put(null, "x");
        nullKey.put("rules", List.of(ruleWithNullKey));
        Map<String, Object> nested = new HashMap<>();
        nested.put("rules", List.of(List.of(List.of())));
        nested.put("targetUtilization", Map.of("low", Map.of()));
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("rules", null);
        nulls.put("minReplicas", null);
        nulls.put("evaluationStep", null);
        Map<String, Object> huge = new HashMap<>();
        huge.put("maxReplicas", 1e300);
        huge.put("rules", List.of(ruleWith("for", "9999999999999y")));
        return Stream.of(null, new HashMap<>(), nonStringKeys, nullKey, nested, nulls, huge);
    }

    @ParameterizedTest
    @MethodSource("garbage")
    void neverThrowsOnUserInput(Map<String, Object> doc) {
        assertThatCode(() -> {
            PolicyValidation read = PolicyValidator.validate(doc);
            assertThat(read.isValid()).isFalse();
            assertThat(read.errors()).isNotEmpty().allSatisfy(p -> assertThat(p.message()).isNotBlank());
        }).doesNotThrowAnyException();
    }
}
