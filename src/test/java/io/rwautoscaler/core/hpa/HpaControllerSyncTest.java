package io.rwautoscaler.core.hpa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.rwautoscaler.core.hpa.FixedReadings.perPod;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole syncs. The first table takes upstream's controller-level cases from {@code horizontal_test.go} (inputs and
 * expected desired replicas and conditions, named after the upstream test) through this port's harness: ready
 * pods started 3 minutes ago, cpu requested per pod, samples taken now. The tests after it pin semantics the
 * upstream rows leave open.
 */
class HpaControllerSyncTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    static final HpaController CONTROLLER = new HpaController(ReplicaCalcCase.TESTING);
    static final HpaHistory EMPTY_RECOMMENDATIONS = HpaHistory.of(List.of(), List.of(), List.of());

    /** {@code n} ready pods, each requesting {@code cpuMilli} (none when 0). */
    static List<Pod> pods(int n, long cpuMilli) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Long> requests = cpuMilli > 0 ? Map.of("cpu", cpuMilli) : Map.of();
            pods.add(Pod.running("test-pod-" + i, NOW.minus(Duration.ofMinutes(3)),
                    List.of(Pod.Container.of("container", requests))));
        }
        return pods;
    }

    static MetricSpec cpu(int target) {
        return new MetricSpec.Resource("cpu", MetricTarget.utilization(target));
    }

    static MetricSpec.External qpsExternal(MetricTarget target) {
        return new MetricSpec.External("qps", Optional.of(MetricSelector.EMPTY), target);
    }

    static MetricSpec.ObjectMetric qpsObject(MetricTarget target) {
        return new MetricSpec.ObjectMetric(new ObjectReference("apps/v1", "Deployment", "some-deployment"), "qps",
                Optional.empty(), target);
    }

    record Row(String name, HpaSpec spec, Scale scale, List<Pod> pods, MetricReadings readings, HpaHistory history,
               int expectedDesired, ConditionReason expectedActiveReason, boolean expectError) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> upstreamControllerRows() {
        MetricSpec cheddar = new MetricSpec.Unsupported("CheddarCheese");
        return Stream.of(
                new Row("TestScaleUpOneMetricInvalid", new HpaSpec(2, 6, List.of(cpu(30), cheddar), Optional.empty()),
                        Scale.of(3), pods(3, 1000), new FixedReadings().resource("cpu", perPod(NOW, 300, 400, 500)),
                        HpaHistory.NEW, 4, ConditionReason.VALID_METRIC_FOUND, true),
                new Row("TestScaleUpFromZeroOneMetricInvalid", new HpaSpec(0, 6, List.of(cpu(30), cheddar),
                        Optional.empty()), Scale.of(0), pods(3, 1000),
                        new FixedReadings().resource("cpu", perPod(NOW, 300, 400, 500)), EMPTY_RECOMMENDATIONS, 4,
                        ConditionReason.VALID_METRIC_FOUND, true),
                new Row("TestScaleUpBothMetricsEmpty", new HpaSpec(2, 6, List.of(cheddar), Optional.empty()), Scale.of(3),
                        pods(3, 1000), new FixedReadings(), HpaHistory.NEW, 3,
                        ConditionReason.INVALID_METRIC_SOURCE_TYPE, true),
                new Row("TestScaleDownStabilizeInitialSize", new HpaSpec(2, 6, List.of(cpu(50)), Optional.empty()),
                        Scale.of(5), pods(5, 1000), new FixedReadings().resource("cpu", perPod(NOW, 100, 300, 500, 250, 250)),
                        HpaHistory.NEW, 5, ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleDownCM", new HpaSpec(2, 6, List.of(new MetricSpec.Pods("qps", Optional.empty(),
                        MetricTarget.averageValueMilli(20_000))), Optional.empty()), Scale.of(5), pods(5, 1000),
                        new FixedReadings().pods("qps", perPod(NOW, 12000, 12000, 12000, 12000, 12000)),
                        EMPTY_RECOMMENDATIONS, 3, ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleDownCMObject", new HpaSpec(2, 6, List.of(qpsObject(MetricTarget.valueMilli(20_000))),
                        Optional.empty()), Scale.of(5), pods(5, 1000), new FixedReadings().object("qps", 12000),
                        EMPTY_RECOMMENDATIONS, 3, ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleDownToZeroCMObject", new HpaSpec(0, 6, List.of(qpsObject(MetricTarget.valueMilli(20_000))),
                        Optional.empty()), Scale.of(5), pods(5, 1000), new FixedReadings().object("qps", 0),
                        EMPTY_RECOMMENDATIONS, 0, ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleDownPerPodCMObject", new HpaSpec(2, 6,
                        List.of(qpsObject(MetricTarget.averageValueMilli(20_000))), Optional.empty()), Scale.of(5),
                        pods(5, 1000), new FixedReadings().object("qps", 60000), EMPTY_RECOMMENDATIONS, 3,
                        ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleDownCMExternal", new HpaSpec(2, 6, List.of(qpsExternal(MetricTarget.valueMilli(14400))),
                        Optional.empty()), Scale.of(5), pods(5, 0), new FixedReadings().external("qps", 8600L),
                        EMPTY_RECOMMENDATIONS, 3, ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleDownToZeroCMExternal", new HpaSpec(0, 6, List.of(qpsExternal(MetricTarget.valueMilli(14400))),
                        Optional.empty()), Scale.of(5), pods(5, 0), new FixedReadings().external("qps", 0L),
                        EMPTY_RECOMMENDATIONS, 0, ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleDownPerPodCMExternal", new HpaSpec(2, 6,
                        List.of(qpsExternal(MetricTarget.averageValueMilli(3000))), Optional.empty()), Scale.of(5),
                        pods(5, 0), new FixedReadings().external("qps", 8600L), EMPTY_RECOMMENDATIONS, 3,
                        ConditionReason.VALID_METRIC_FOUND, false),
                new Row("TestScaleUpOneMetricEmpty", new HpaSpec(2, 6,
                        List.of(cpu(30), qpsExternal(MetricTarget.valueMilli(100))), Optional.empty()), Scale.of(3),
                        pods(3, 1000), new FixedReadings().resource("cpu", perPod(NOW, 300, 400, 500))
                        .failing("qps", "something went wrong"), HpaHistory.NEW, 4, ConditionReason.VALID_METRIC_FOUND, true),
                new Row("TestNoScaleDownOneMetricInvalid", new HpaSpec(2, 6, List.of(cpu(50), cheddar), Optional.empty()),
                        Scale.of(5), pods(5, 1000), new FixedReadings().resource("cpu", perPod(NOW, 100, 300, 500, 250, 250)),
                        EMPTY_RECOMMENDATIONS, 5, ConditionReason.INVALID_METRIC_SOURCE_TYPE, true),
                new Row("TestNoScaleDownOneMetricEmpty", new HpaSpec(2, 6,
                        List.of(cpu(50), qpsExternal(MetricTarget.valueMilli(1000))), Optional.empty()), Scale.of(5),
                        pods(5, 1000), new FixedReadings().resource("cpu", perPod(NOW, 100, 300, 500, 250, 250))
                        .failing("qps", "something went wrong"), EMPTY_RECOMMENDATIONS, 5,
                        ConditionReason.FAILED_GET_EXTERNAL_METRIC, true),
                new Row("TestScaleDownRCImmediately", new HpaSpec(2, 5, List.of(cpu(50)), Optional.empty()), Scale.of(6),
                        pods(6, 1000), new FixedReadings().resource("cpu", perPod(NOW, 8000, 9500, 1000)), HpaHistory.NEW, 5,
                        null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("upstreamControllerRows")
    void upstreamControllerRow(Row row) {
        HpaDecision decision = CONTROLLER.sync(row.spec, row.scale, row.pods, row.readings, row.history, NOW);
        assertThat(decision.desiredReplicas()).as("desired replicas").isEqualTo(row.expectedDesired);
        assertThat(decision.condition(ConditionType.SCALING_ACTIVE).map(HpaCondition::reason).orElse(null))
                .as("ScalingActive reason").isEqualTo(row.expectedActiveReason);
        assertThat(decision.error().isPresent()).as("sync error: " + decision.error()).isEqualTo(row.expectError);
    }

    @Test
    void scaleDownStabilizeInitialSizeSaysWhy() {
        HpaDecision decision = CONTROLLER.sync(new HpaSpec(2, 6, List.of(cpu(50)), Optional.empty()), Scale.of(5),
                pods(5, 1000), new FixedReadings().resource("cpu", perPod(NOW, 100, 300, 500, 250, 250)), HpaHistory.NEW, NOW);
        assertThat(decision.metricDesiredReplicas()).hasValue(3);
        assertThat(decision.stabilization()).hasValue(ConditionReason.SCALE_DOWN_STABILIZED);
        assertThat(decision.rescale()).isFalse();
    }

    @Test
    void scalingDisabledWhenTheTargetWasScaledToZero() {
        HpaDecision decision = CONTROLLER.sync(new HpaSpec(1, 6, List.of(cpu(50)), Optional.empty()), Scale.of(0),
                pods(0, 1000), new FixedReadings(), HpaHistory.NEW, NOW);
        assertThat(decision.rescale()).isFalse();
        assertThat(decision.desiredReplicas()).isZero();
        assertThat(decision.condition(ConditionType.SCALING_ACTIVE).map(HpaCondition::reason))
                .hasValue(ConditionReason.SCALING_DISABLED);
    }

    @Test
    void legacyScaleUpIsLimitedToTwiceCurrentOrFour() {
        // no behavior: convertDesiredReplicasWithRules caps at max(2 × 2, 4) = 4 although cpu asks for 10
        HpaDecision decision = CONTROLLER.sync(new HpaSpec(1, 20, List.of(cpu(50)), Optional.empty()), Scale.of(2),
                pods(2, 1000), new FixedReadings().resource("cpu", perPod(NOW, 2500, 2500)), EMPTY_RECOMMENDATIONS, NOW);
        assertThat(decision.metricDesiredReplicas()).hasValue(10);
        assertThat(decision.desiredReplicas()).isEqualTo(4);
        assertThat(decision.limit()).hasValue(ConditionReason.SCALE_UP_LIMIT);
        assertThat(decision.eventMessage())
                .hasValue("New size: 4; reason: cpu resource utilization (percentage of request) above target");
    }

    @Test
    void aRatioExactlyAtTheToleranceDoesNotScale() {
        // Tolerances.isWithin is inclusive: an average of exactly 1.1 × target keeps the count
        MetricSpec qps = new MetricSpec.Pods("qps", Optional.empty(), MetricTarget.averageValueMilli(10_000));
        HpaSpec spec = new HpaSpec(1, 20, List.of(qps), Optional.empty());
        HpaDecision atTolerance = CONTROLLER.sync(spec, Scale.of(4), pods(4, 0),
                new FixedReadings().pods("qps", perPod(NOW, 11_000, 11_000, 11_000, 11_000)), EMPTY_RECOMMENDATIONS, NOW);
        assertThat(atTolerance.metricDesiredReplicas()).hasValue(4);
        HpaDecision justAbove = CONTROLLER.sync(spec, Scale.of(4), pods(4, 0),
                new FixedReadings().pods("qps", perPod(NOW, 11_001, 11_001, 11_001, 11_001)), EMPTY_RECOMMENDATIONS, NOW);
        assertThat(justAbove.metricDesiredReplicas()).hasValue(5);
    }

    @Test
    void anEventExactlyOnePeriodOldNoLongerCounts() {
        ScalingRules fourPodsPer60s = ScalingRules.of(0, SelectPolicy.MAX, ScalingPolicy.pods(4, 60));
        List<ScaleEvent> upEvents = List.of(new ScaleEvent(4, NOW.minusSeconds(60), false));
        assertThat(HpaController.calculateScaleUpLimitWithScalingRules(10, upEvents, List.of(), fourPodsPer60s, NOW))
                .as("an event at now - period is outside the period").isEqualTo(14);
        List<ScaleEvent> younger = List.of(new ScaleEvent(4, NOW.minusSeconds(59), false));
        assertThat(HpaController.calculateScaleUpLimitWithScalingRules(10, younger, List.of(), fourPodsPer60s, NOW))
                .isEqualTo(10);
    }

    @Test
    void perDirectionToleranceFromBehaviorOverridesTheControllerFlag() {
        ScalingRules up = new ScalingRules(java.util.OptionalInt.of(0), SelectPolicy.MAX,
                ScalingRules.DEFAULT_SCALE_UP.policies(), java.util.OptionalDouble.of(0.5));
        HpaSpec spec = new HpaSpec(1, 20, List.of(new MetricSpec.Pods("qps", Optional.empty(),
                MetricTarget.averageValueMilli(10_000))), Optional.of(new Behavior(up, ScalingRules.DEFAULT_SCALE_DOWN)));
        HpaDecision decision = CONTROLLER.sync(spec, Scale.of(4), pods(4, 0),
                new FixedReadings().pods("qps", perPod(NOW, 14_000, 14_000, 14_000, 14_000)), EMPTY_RECOMMENDATIONS, NOW);
        assertThat(decision.metricDesiredReplicas()).as("1.4 is within an up tolerance of 0.5").hasValue(4);
    }

    @Test
    void behaviorRunAcrossSyncsHonoursTheRatePolicyAndKeepsHistoryBounded() {
        // the runbook's behavior: scale-up +50 % per 60 s after a 300 s window, scale-down 1 pod per 300 s after 600 s
        Behavior runbook = new Behavior(ScalingRules.of(300, SelectPolicy.MAX, ScalingPolicy.percent(50, 60)),
                ScalingRules.of(600, SelectPolicy.MAX, ScalingPolicy.pods(1, 300)));
        HpaSpec spec = new HpaSpec(3, 10, List.of(new MetricSpec.Pods("queue", Optional.empty(),
                MetricTarget.averageValueMilli(3_000_000))), Optional.of(runbook));
        HpaHistory history = HpaHistory.NEW;
        int replicas = 3;
        List<Integer> seen = new ArrayList<>();
        for (int sync = 0; sync <= 80; sync++) {
            Instant at = NOW.plusSeconds(15L * sync);
            long perPodQueue = 30_000_000L / replicas; // a fixed backlog of 30,000 shared by the pods: wants 10
            long[] values = new long[replicas];
            java.util.Arrays.fill(values, perPodQueue);
            HpaDecision decision = CONTROLLER.sync(spec, Scale.of(replicas), pods(replicas, 0),
                    new FixedReadings().pods("queue", perPod(at, values)), history, at);
            history = decision.history();
            replicas = decision.desiredReplicas();
            seen.add(replicas);
        }
        // the first seeded recommendation (3) holds scale-up for 300 s; then +50 % (ceil) per 60 s: 3 → 5 → 8 → 10
        assertThat(seen.subList(0, 20)).containsOnly(3);
        assertThat(seen).containsSubsequence(3, 5, 8, 10);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(10);
        assertThat(history.recommendations().size()).as("one slot per sync within the longest window, no more")
                .isLessThanOrEqualTo(600 / 15 + 2);
        assertThat(history.scaleUpEvents()).hasSizeLessThanOrEqualTo(3);
    }
}
