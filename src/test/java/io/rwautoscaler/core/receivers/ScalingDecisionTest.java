package io.rwautoscaler.core.receivers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

import static io.rwautoscaler.core.receivers.RunbookRules.AGENT_QUEUE_EMPTY;
import static io.rwautoscaler.core.receivers.RunbookRules.AGENT_QUEUE_HIGH;
import static io.rwautoscaler.core.receivers.RunbookRules.RECEIVER_CPU_HIGH;
import static io.rwautoscaler.core.receivers.RunbookRules.RECEIVER_CPU_LOW;
import static io.rwautoscaler.core.receivers.RunbookRules.RECEIVER_LATENCY_HIGH;
import static io.rwautoscaler.core.receivers.RunbookRules.RECEIVER_MEMORY_HIGH;
import static io.rwautoscaler.core.receivers.RunbookRules.RECEIVER_MEMORY_LOW;
import static io.rwautoscaler.core.receivers.RunbookRules.RECEIVER_VOLUME_HIGH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ScalingDecisionTest {

    static final Instant NOW = Instant.parse("2025-11-25T12:00:00Z");
    static final ReceiverPolicy POLICY = ReceiverPolicy.defaults();

    /** A value on the firing side of each default rule. */
    static final Map<String, Double> FIRING_VALUES = Map.of(
            AGENT_QUEUE_HIGH, 12000.0, RECEIVER_CPU_HIGH, 0.87, RECEIVER_MEMORY_HIGH, 0.9, RECEIVER_VOLUME_HIGH, 0.74,
            RECEIVER_LATENCY_HIGH, 2.6, RECEIVER_CPU_LOW, 0.22, RECEIVER_MEMORY_LOW, 0.31, AGENT_QUEUE_EMPTY, 0.0);

    /** Every default rule: FIRING when listed in {@code firing}, UNKNOWN in {@code unknown}, else NOT_FIRING. */
    static List<RuleStatus> statuses(List<String> firing, List<String> unknown) {
        Map<String, RuleObservation> observations = new java.util.HashMap<>();
        for (PolicyRule rule : POLICY.rules()) {
            if (firing.contains(rule.name())) {
                double v = FIRING_VALUES.get(rule.name());
                observations.put(rule.name(), RuleObservation.of(v, v));
            } else if (!unknown.contains(rule.name())) {
                double calm = rule.comparison() == Comparison.EQUAL ? 50 : rule.comparison() == Comparison.LESS
                        ? rule.threshold() * 2 : rule.threshold() / 2;
                observations.put(rule.name(), RuleObservation.of(calm, calm));
            }
        }
        return RuleEvaluation.evaluate(POLICY, observations, RuleHoldHistory.empty(), NOW).statuses();
    }

    static ScalingDecision decide(List<String> firing, List<String> unknown, int replicas, boolean hpa, Double sps) {
        return ScalingDecision.decide(POLICY, statuses(firing, unknown),
                new ReceiverFleet(replicas, hpa, sps == null ? OptionalDouble.empty() : OptionalDouble.of(sps)));
    }

    static List<String> summary(ScalingDecision decision) {
        List<String> out = new ArrayList<>();
        for (ReceiverRecommendation r : decision.recommendations()) {
            out.add(r.action() + (r.recommendedReplicas().isPresent()
                    ? " " + r.currentReplicas().getAsInt() + "→" + r.recommendedReplicas().getAsInt() : ""));
        }
        return out;
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                arguments("calm week", List.of(), 3, 8000.0, List.of(), List.of()),
                arguments("calm week, 5 receivers, nothing proven low", List.of(), 5, 8000.0, List.of(), List.of()),
                // the runbook's scenario: traffic doubles from 8,000 to 16,000 samples/s on 3 receivers
                arguments("traffic doubles, CPU fires", List.of(RECEIVER_CPU_HIGH), 3, 16000.0, List.of("ADD_RECEIVERS 3→6"), List.of()),
                arguments("traffic doubles, p99 fires", List.of(RECEIVER_LATENCY_HIGH), 3, 16000.0, List.of("ADD_RECEIVERS 3→6"), List.of()),
                arguments("CPU fires though capacity says 3 suffice: one more", List.of(RECEIVER_CPU_HIGH), 3, 8000.0, List.of("ADD_RECEIVERS 3→4"), List.of()),
                arguments("CPU fires, samples/s unknown: one more", List.of(RECEIVER_CPU_HIGH), 3, null, List.of("ADD_RECEIVERS 3→4"), List.of()),
                arguments("at the maximum", List.of(RECEIVER_CPU_HIGH), 10, 40000.0, List.of(), List.of(RuleAction.ADD_RECEIVERS)),
                arguments("above the maximum", List.of(RECEIVER_CPU_HIGH), 12, 40000.0, List.of(), List.of(RuleAction.ADD_RECEIVERS)),
                arguments("capped at the maximum", List.of(RECEIVER_CPU_HIGH), 9, 100000.0, List.of("ADD_RECEIVERS 9→10"), List.of()),
                arguments("below the minimum", List.of(RECEIVER_CPU_HIGH), 1, 1000.0, List.of("ADD_RECEIVERS 1→3"), List.of()),
                // the queue rule: receivers when they are the bottleneck, else agent shards
                arguments("queue alone", List.of(AGENT_QUEUE_HIGH), 3, 8000.0, List.of("ADD_AGENT_SHARDS"), List.of()),
                arguments("queue with CPU", List.of(AGENT_QUEUE_HIGH, RECEIVER_CPU_HIGH), 3, 16000.0, List.of("ADD_RECEIVERS 3→6"), List.of()),
                arguments("queue with p99", List.of(AGENT_QUEUE_HIGH, RECEIVER_LATENCY_HIGH), 3, 16000.0, List.of("ADD_RECEIVERS 3→6"), List.of()),
                arguments("queue with memory", List.of(AGENT_QUEUE_HIGH, RECEIVER_MEMORY_HIGH), 3, 8000.0,
                        List.of("ADD_AGENT_SHARDS", "ADD_RECEIVER_MEMORY"), List.of()),
                // never vertical and horizontal at once
                arguments("CPU and memory: horizontal first", List.of(RECEIVER_CPU_HIGH, RECEIVER_MEMORY_HIGH), 3, 16000.0,
                        List.of("ADD_RECEIVERS 3→6"), List.of(RuleAction.ADD_RECEIVER_MEMORY)),
                arguments("CPU and memory at the maximum: vertical", List.of(RECEIVER_CPU_HIGH, RECEIVER_MEMORY_HIGH), 10, 40000.0,
                        List.of("ADD_RECEIVER_MEMORY"), List.of(RuleAction.ADD_RECEIVERS)),
                arguments("memory alone: vertical", List.of(RECEIVER_MEMORY_HIGH), 3, 8000.0, List.of("ADD_RECEIVER_MEMORY"), List.of()),
                arguments("fewer receivers and less memory: horizontal first", List.of(RECEIVER_CPU_LOW, RECEIVER_MEMORY_LOW), 5, 8000.0,
                        List.of("REMOVE_RECEIVERS 5→3"), List.of(RuleAction.REMOVE_RECEIVER_MEMORY)),
                arguments("fewer receivers blocked at the minimum: less memory", List.of(RECEIVER_CPU_LOW, RECEIVER_MEMORY_LOW), 3, 8000.0,
                        List.of("REMOVE_RECEIVER_MEMORY"), List.of(RuleAction.REMOVE_RECEIVERS)),
                // scale-out beats scale-in, across the pipeline
                arguments("CPU high, memory low", List.of(RECEIVER_CPU_HIGH, RECEIVER_MEMORY_LOW), 3, 16000.0,
                        List.of("ADD_RECEIVERS 3→6"), List.of(RuleAction.REMOVE_RECEIVER_MEMORY)),
                arguments("memory high, CPU low", List.of(RECEIVER_MEMORY_HIGH, RECEIVER_CPU_LOW), 5, 8000.0,
                        List.of("ADD_RECEIVER_MEMORY"), List.of(RuleAction.REMOVE_RECEIVERS)),
                arguments("volume high, queue empty", List.of(RECEIVER_VOLUME_HIGH, AGENT_QUEUE_EMPTY), 3, 8000.0,
                        List.of("EXPAND_VOLUME_OR_CUT_RETENTION"), List.of(RuleAction.REMOVE_AGENT_SHARDS)),
                arguments("volume goes alongside horizontal", List.of(RECEIVER_VOLUME_HIGH, RECEIVER_CPU_HIGH), 3, 16000.0,
                        List.of("ADD_RECEIVERS 3→6", "EXPAND_VOLUME_OR_CUT_RETENTION"), List.of()),
                // scale-in amounts and bounds
                arguments("the runbook's right-sizing: 5 → 3", List.of(RECEIVER_CPU_LOW), 5, 8000.0, List.of("REMOVE_RECEIVERS 5→3"), List.of()),
                arguments("scale-in to what the load needs", List.of(RECEIVER_CPU_LOW), 8, 11000.0, List.of("REMOVE_RECEIVERS 8→4"), List.of()),
                arguments("scale-in at the minimum", List.of(RECEIVER_CPU_LOW), 3, 2000.0, List.of(), List.of(RuleAction.REMOVE_RECEIVERS)),
                arguments("scale-in the load forbids", List.of(RECEIVER_CPU_LOW), 5, 16000.0, List.of(), List.of(RuleAction.REMOVE_RECEIVERS)),
                arguments("scale-in, samples/s unknown: one fewer", List.of(RECEIVER_CPU_LOW), 5, null, List.of("REMOVE_RECEIVERS 5→4"), List.of()),
                arguments("scale-in from above the maximum", List.of(RECEIVER_CPU_LOW), 12, 8000.0, List.of("REMOVE_RECEIVERS 12→3"), List.of()),
                arguments("queue empty", List.of(AGENT_QUEUE_EMPTY), 3, 8000.0, List.of("REMOVE_AGENT_SHARDS"), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void resolvesFiringRulesIntoRecommendations(String scenario, List<String> firing, int replicas, Double sps,
                                                List<String> expected, List<RuleAction> heldBack) {
        ScalingDecision decision = decide(firing, List.of(), replicas, false, sps);
        assertThat(summary(decision)).containsExactlyElementsOf(expected);
        assertThat(decision.suppressed()).extracting(SuppressedAction::action).containsExactlyElementsOf(heldBack);
        assertThat(decision.recommendations()).allSatisfy(r -> {
            assertThat(r.reportOnly()).isFalse();
            assertThat(r.reason()).isNotBlank();
            assertThat(r.firedBy()).isNotEmpty();
            r.recommendedReplicas().ifPresent(n -> assertThat(n).isBetween(3, 10));
        });
        // never both directions, never both horizontal and vertical
        assertThat(decision.recommendations().stream().map(ReceiverRecommendation::direction).distinct().count())
                .isLessThanOrEqualTo(1);
        assertThat(decision.recommendations()).filteredOn(r -> r.action().lever().rollsReceivers()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void theRunbookScenarioExplainsItself() {
        ScalingDecision decision = decide(List.of(RECEIVER_CPU_HIGH), List.of(), 3, false, 16000.0);
        ReceiverRecommendation r = decision.recommendation(RuleAction.ADD_RECEIVERS).orElseThrow();
        assertThat(r.recommendedReplicas()).hasValue(6);
        assertThat(r.recommendedReplicas().getAsInt()).isBetween(5, 6);
        assertThat(r.target()).isEqualTo(RunbookRules.RECEIVERS);
        assertThat(r.firedBy()).containsExactly(RECEIVER_CPU_HIGH);
        assertThat(r.projectedUtilization().getAsDouble()).isBetween(0.70, 0.80);
        assertThat(r.reason()).isEqualTo("scale receivers out 3 → 6: receiver-cpu-high: 0.87 > 0.8 for 10m (held 10m);"
                + " 16000 samples/s at 3500 per receiver needs 6 receivers to stay at or below 80% (projected 76%)");
    }

    @Test
    void theQueueFollowsTheReceiversWhenTheyAreTheBottleneck() {
        ScalingDecision decision = decide(List.of(AGENT_QUEUE_HIGH, RECEIVER_LATENCY_HIGH), List.of(), 3, false, 16000.0);
        ReceiverRecommendation r = decision.recommendation(RuleAction.ADD_RECEIVERS).orElseThrow();
        assertThat(r.firedBy()).containsExactly(RECEIVER_LATENCY_HIGH, AGENT_QUEUE_HIGH);
        assertThat(r.target()).isEqualTo(RunbookRules.RECEIVERS);
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("rather than more agent shards"));
        assertThat(decision.recommendation(RuleAction.ADD_AGENT_SHARDS)).isEmpty();
    }

    @Test
    void theQueueGoesToTheAgentsWhenTheReceiversAreFine() {
        ScalingDecision decision = decide(List.of(AGENT_QUEUE_HIGH), List.of(), 3, false, 8000.0);
        ReceiverRecommendation r = decision.recommendation(RuleAction.ADD_AGENT_SHARDS).orElseThrow();
        assertThat(r.target()).isEqualTo(RunbookRules.AGENTS);
        assertThat(r.recommendedReplicas()).isEmpty();
        assertThat(r.reason()).isEqualTo("more agent shards: agent-queue-high: 12000 > 5000 for 15m (held 15m)");
        assertThat(r.notes()).noneSatisfy(n -> assertThat(n).contains("no data"));
    }

    @Test
    void whenTheReceiverRulesHaveNoDataTheQueueRecommendationSaysSo() {
        ScalingDecision decision = decide(List.of(AGENT_QUEUE_HIGH), List.of(RECEIVER_CPU_HIGH, RECEIVER_LATENCY_HIGH), 3, false, 8000.0);
        ReceiverRecommendation r = decision.recommendation(RuleAction.ADD_AGENT_SHARDS).orElseThrow();
        assertThat(r.notes()).anySatisfy(n -> assertThat(n)
                .contains("cannot tell whether the receivers are the bottleneck: receiver-cpu-high, receiver-latency-p99-high have no data"));
    }

    @Test
    void unknownIsNeverFineScaleInWaitsForEveryScaleOutRule() {
        ScalingDecision decision = decide(List.of(RECEIVER_CPU_LOW), List.of(RECEIVER_MEMORY_HIGH), 5, false, 8000.0);
        assertThat(decision.isEmpty()).isTrue();
        assertThat(decision.suppression(RuleAction.REMOVE_RECEIVERS)).hasValueSatisfying(s -> assertThat(s.why())
                .isEqualTo("scale-in waits until every scale-out rule is known not to fire: receiver-memory-high have no data"));
    }

    @Test
    void scaleOutBeatsScaleInAndSaysWhy() {
        ScalingDecision decision = decide(List.of(RECEIVER_MEMORY_HIGH, RECEIVER_CPU_LOW), List.of(), 5, false, 8000.0);
        assertThat(decision.suppression(RuleAction.REMOVE_RECEIVERS)).hasValueSatisfying(s -> {
            assertThat(s.firedBy()).containsExactly(RECEIVER_CPU_LOW);
            assertThat(s.why()).isEqualTo("scale-out beats scale-in: receiver-memory-high firing");
        });
    }

    @Test
    void horizontalWinsOverVerticalAndSaysWhy() {
        ScalingDecision decision = decide(List.of(RECEIVER_CPU_HIGH, RECEIVER_MEMORY_HIGH), List.of(), 3, false, 16000.0);
        assertThat(decision.suppression(RuleAction.ADD_RECEIVER_MEMORY)).hasValueSatisfying(s ->
                assertThat(s.why()).contains("not vertical and horizontal at once").contains("more receivers first"));
    }

    @Test
    void atTheMaximumMemoryGoesUpInstead() {
        ScalingDecision decision = decide(List.of(RECEIVER_CPU_HIGH, RECEIVER_MEMORY_HIGH), List.of(), 10, false, 40000.0);
        assertThat(decision.suppression(RuleAction.ADD_RECEIVERS)).hasValueSatisfying(s ->
                assertThat(s.why()).startsWith("already at the maximum of 10 replicas: receiver-cpu-high: 0.87"));
        assertThat(decision.recommendation(RuleAction.ADD_RECEIVER_MEMORY)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("more memory per receiver: receiver-memory-high: 0.9 > 0.85 for 10m (held 10m)");
            assertThat(r.notes()).first().asString().contains("horizontal scaling cannot move");
        });
    }

    @Test
    void scaleInTheLoadForbidsSaysHowManyItNeeds() {
        ScalingDecision decision = decide(List.of(RECEIVER_CPU_LOW), List.of(), 5, false, 16000.0);
        assertThat(decision.suppression(RuleAction.REMOVE_RECEIVERS)).hasValueSatisfying(s -> assertThat(s.why())
                .startsWith("16000 samples/s at 3500 per receiver needs 6 receivers to stay at or below 80%"));
    }

    @Test
    void anHpaOwnedFleetGetsReportOnlyReplicaRecommendations() {
        ScalingDecision decision = decide(List.of(RECEIVER_CPU_HIGH, RECEIVER_VOLUME_HIGH), List.of(), 3, true, 16000.0);
        ReceiverRecommendation replicas = decision.recommendation(RuleAction.ADD_RECEIVERS).orElseThrow();
        assertThat(replicas.hpaOwned()).isTrue();
        assertThat(replicas.reportOnly()).isTrue();
        assertThat(replicas.recommendedReplicas()).hasValue(6);
        assertThat(replicas.notes()).contains(ScalingDecision.HPA_NOTE);
        assertThat(ScalingDecision.HPA_NOTE).contains("never patched").contains("check that the HPA's metrics are served");
        ReceiverRecommendation volume = decision.recommendation(RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION).orElseThrow();
        assertThat(volume.hpaOwned()).isFalse();
        assertThat(volume.reportOnly()).isFalse();
    }

    @Test
    void anHpaOwnedScaleInIsReportOnlyToo() {
        ScalingDecision decision = decide(List.of(RECEIVER_CPU_LOW), List.of(), 5, true, 8000.0);
        ReceiverRecommendation r = decision.recommendation(RuleAction.REMOVE_RECEIVERS).orElseThrow();
        assertThat(r.reportOnly()).isTrue();
        assertThat(r.recommendedReplicas()).hasValue(3);
    }

    @Test
    void rulesOnTwoAgentTargetsGiveTwoRecommendations() {
        PolicyRule queue = POLICY.rule(AGENT_QUEUE_HIGH).orElseThrow();
        PolicyRule otherQueue = new PolicyRule("agent-b-queue-high", queue.expression(), queue.comparison(),
                queue.threshold(), queue.forDuration(), queue.action(),
                new io.rwautoscaler.core.model.ObjectRef(io.rwautoscaler.core.model.ResourceKind.STATEFULSETS, "monitoring", "agent-b"));
        List<RuleStatus> statuses = List.of(
                new RuleStatus(queue, RuleState.FIRING, OptionalDouble.of(6000), OptionalDouble.of(6000), queue.forDuration(), Optional.empty()),
                new RuleStatus(otherQueue, RuleState.FIRING, OptionalDouble.of(7000), OptionalDouble.of(7000), queue.forDuration(), Optional.empty()));
        ScalingDecision decision = ScalingDecision.decide(POLICY, statuses, ReceiverFleet.of(3, false, 8000));
        assertThat(decision.recommendations()).extracting(r -> r.target().name()).containsExactly("prometheus-agent", "agent-b");
    }

    @Test
    void aBrokenSamplesRateIsUnknownNotALoad() {
        assertThat(ReceiverFleet.of(3, false, Double.NaN).samplesPerSecond()).isEmpty();
        assertThat(ReceiverFleet.of(3, false, -1).samplesPerSecond()).isEmpty();
        assertThat(ReceiverFleet.of(3, false, 0).samplesPerSecond()).hasValue(0);
    }
}
