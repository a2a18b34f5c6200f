package io.rwautoscaler.core.hpa;

import io.rwautoscaler.core.hpa.HpaController.Limited;
import io.rwautoscaler.core.hpa.HpaController.NormalizationArg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static io.rwautoscaler.core.hpa.ConditionReason.DESIRED_WITHIN_RANGE;
import static io.rwautoscaler.core.hpa.ConditionReason.SCALE_DOWN_LIMIT;
import static io.rwautoscaler.core.hpa.ConditionReason.SCALE_UP_LIMIT;
import static io.rwautoscaler.core.hpa.ConditionReason.TOO_FEW_REPLICAS;
import static io.rwautoscaler.core.hpa.ConditionReason.TOO_MANY_REPLICAS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The behavior and normalization tables of upstream's {@code horizontal_test.go} (Kubernetes 1.34), row by row
 * with upstream's names and expected values: TestConvertDesiredReplicasWithRules,
 * TestCalculateScaleUpLimitWithScalingRules, TestCalculateScaleDownLimitWithBehaviors, TestNormalizeDesiredReplicas,
 * TestScalingWithRules, TestStoreScaleEvents, TestNormalizeDesiredReplicasWithBehavior.
 */
class NormalizationUpstreamTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    // generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow), select policy Max
    static ScalingRules rules(int pods, int podsPeriod, int percent, int percentPeriod, int stabilizationWindow) {
        List<ScalingPolicy> policies = new ArrayList<>();
        if (pods != 0) {
            policies.add(ScalingPolicy.pods(pods, podsPeriod));
        }
        if (percent != 0) {
            policies.add(ScalingPolicy.percent(percent, percentPeriod));
        }
        return new ScalingRules(OptionalInt.of(stabilizationWindow), SelectPolicy.MAX, policies, OptionalDouble.empty());
    }

    // generateEventsUniformDistribution: events in the middle of equal segments of the last periodSeconds
    static List<ScaleEvent> events(int periodSeconds, int... rawEvents) {
        List<ScaleEvent> events = new ArrayList<>();
        double segmentDuration = (double) periodSeconds / rawEvents.length;
        for (int idx = 0; idx < rawEvents.length; idx++) {
            long segmentBoundary = (long) (periodSeconds - segmentDuration * (idx + 1) + segmentDuration / 2);
            events.add(new ScaleEvent(rawEvents[idx], NOW.minusSeconds(segmentBoundary), false));
        }
        return events;
    }

    static Stream<Arguments> convertDesiredReplicasWithRules() {
        return Stream.of(
                arguments("prenormalized desired replicas within range", 5, 7, 3, 8, 7, DESIRED_WITHIN_RANGE),
                arguments("prenormalized desired replicas < minReplicas", 3, 1, 2, 8, 2, TOO_FEW_REPLICAS),
                arguments("prenormalized desired zeroed replicas within range", 1, 0, 0, 10, 0, DESIRED_WITHIN_RANGE),
                arguments("maxReplicas is the limit because maxReplicas < scaleUpLimit", 20, 1000, 1, 10, 10,
                        TOO_MANY_REPLICAS),
                arguments("scaleUpLimit is the limit because scaleUpLimit < maxReplicas", 3, 1000, 1, 2000,
                        HpaController.calculateScaleUpLimit(3), SCALE_UP_LIMIT));
    }

    @ParameterizedTest(name = "TestConvertDesiredReplicasWithRules: {0}")
    @MethodSource
    void convertDesiredReplicasWithRules(String annotation, int current, int desired, int min, int max,
                                         int expectedReplicas, ConditionReason expectedCondition) {
        Limited limited = HpaController.convertDesiredReplicasWithRules(current, desired, min, max);
        assertThat(limited.replicas()).isEqualTo(expectedReplicas);
        assertThat(limited.reason()).isEqualTo(expectedCondition);
    }

    @Test
    void scaleUpLimitWithoutBehaviorIsTwiceCurrentAndAtLeastFour() {
        // calculateScaleUpLimit, used by the last TestConvertDesiredReplicasWithRules row: max(2 × current, 4)
        assertThat(HpaController.calculateScaleUpLimit(3)).isEqualTo(6);
        assertThat(HpaController.calculateScaleUpLimit(1)).isEqualTo(4);
        assertThat(HpaController.calculateScaleUpLimit(0)).isEqualTo(4);
    }

    @Test
    void testCalculateScaleUpLimitWithScalingRules() {
        ScalingRules rules = new ScalingRules(OptionalInt.of(300), SelectPolicy.MIN,
                List.of(ScalingPolicy.pods(2, 60), ScalingPolicy.percent(50, 60)), OptionalDouble.empty());
        assertThat(HpaController.calculateScaleUpLimitWithScalingRules(1, List.of(), List.of(), rules, NOW)).isEqualTo(2);
    }

    @Test
    void testCalculateScaleDownLimitWithBehaviors() {
        ScalingRules rules = new ScalingRules(OptionalInt.of(300), SelectPolicy.MIN,
                List.of(ScalingPolicy.pods(2, 60), ScalingPolicy.percent(50, 60)), OptionalDouble.empty());
        assertThat(HpaController.calculateScaleDownLimitWithBehaviors(5, List.of(), List.of(), rules, NOW)).isEqualTo(3);
    }

    static Stream<Arguments> normalizeDesiredReplicas() {
        return Stream.of(
                arguments("empty log", List.of(), 5, 5, 1),
                arguments("stabilize", List.of(rec(4, 2 * 60), rec(5, 60)), 3, 5, 3),
                arguments("no stabilize", List.of(rec(1, 2 * 60), rec(2, 60)), 3, 3, 3),
                arguments("no stabilize - old recommendations", List.of(rec(10, 10 * 60), rec(9, 9 * 60)), 3, 3, 2),
                arguments("stabilize - old recommendations",
                        List.of(rec(10, 10 * 60), rec(4, 60), rec(5, 2 * 60), rec(9, 9 * 60)), 3, 5, 4));
    }

    @ParameterizedTest(name = "TestNormalizeDesiredReplicas: {0}")
    @MethodSource
    void normalizeDesiredReplicas(String name, List<Recommendation> recommendations, int prenormalized,
                                  int expectedStabilized, int expectedLogLength) {
        List<Recommendation> log = new ArrayList<>(recommendations);
        int stabilized = HpaController.stabilizeRecommendation(log, prenormalized, Duration.ofMinutes(5), NOW);
        assertThat(stabilized).isEqualTo(expectedStabilized);
        assertThat(log).hasSize(expectedLogLength);
    }

    static Recommendation rec(int replicas, int secondsAgo) {
        return new Recommendation(replicas, NOW.minusSeconds(secondsAgo));
    }

    /** A TestScalingWithRules row; null rules mean upstream's defaults (GenerateHPAScale{Up,Down}Rules(nil)). */
    record ScalingRow(String name, List<ScaleEvent> scaleUpEvents, List<ScaleEvent> scaleDownEvents, int min, int max,
                      ScalingRules scaleUpRules, ScalingRules scaleDownRules, int current, int prenormalized,
                      int expectedReplicas, ConditionReason expectedCondition) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ScalingRow row(String name, int current, int prenormalized, int min, int max, int expected,
                          ConditionReason condition) {
        return new ScalingRow(name, List.of(), List.of(), min, max, null, null, current, prenormalized, expected, condition);
    }

    static ScalingRow up(ScalingRow r, ScalingRules rules) {
        return new ScalingRow(r.name, r.scaleUpEvents, r.scaleDownEvents, r.min, r.max, rules, r.scaleDownRules, r.current,
                r.prenormalized, r.expectedReplicas, r.expectedCondition);
    }

    static ScalingRow down(ScalingRow r, ScalingRules rules) {
        return new ScalingRow(r.name, r.scaleUpEvents, r.scaleDownEvents, r.min, r.max, r.scaleUpRules, rules, r.current,
                r.prenormalized, r.expectedReplicas, r.expectedCondition);
    }

    static ScalingRow withEvents(ScalingRow r, List<ScaleEvent> upEvents, List<ScaleEvent> downEvents) {
        return new ScalingRow(r.name, upEvents, downEvents, r.min, r.max, r.scaleUpRules, r.scaleDownRules, r.current,
                r.prenormalized, r.expectedReplicas, r.expectedCondition);
    }

    static Stream<ScalingRow> scalingWithRules() {
        List<ScaleEvent> none = List.of();
        return Stream.of(
                row("prenormalized desired replicas within range", 5, 7, 3, 8, 7, DESIRED_WITHIN_RANGE),
                row("prenormalized desired replicas < minReplicas", 3, 1, 2, 8, 2, TOO_FEW_REPLICAS),
                row("prenormalized desired replicas within range when minReplicas is 0", 1, 0, 0, 10, 0,
                        DESIRED_WITHIN_RANGE),
                row("maxReplicas is the limit because maxReplicas < scaleUpLimit", 20, 1000, 1, 10, 10, TOO_MANY_REPLICAS),
                row("desired replica count is more than the maximum replica count", 100, 1000, 100, 150, 150,
                        TOO_MANY_REPLICAS),
                up(row("scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies", 3, 1000, 1, 2000,
                        4, SCALE_UP_LIMIT), rules(0, 0, 1, 60, 0)),
                // upstream marks this row testThis and skips it; it holds here as well
                down(row("scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies",
                        1000, 3, 3, 2000, 980, SCALE_DOWN_LIMIT), rules(20, 60, 0, 0, 0)),
                row("scaleUp with default behavior", 10, 50, 1, 1000, 20, SCALE_UP_LIMIT),
                up(row("scaleUp with pods policy larger than percent policy", 10, 500, 1, 1000, 110, SCALE_UP_LIMIT),
                        rules(100, 60, 100, 60, 0)),
                up(row("scaleUp with percent policy larger than pods policy", 10, 500, 1, 1000, 20, SCALE_UP_LIMIT),
                        rules(2, 60, 100, 60, 0)),
                up(row("scaleUp with spec MaxReplicas limitation with large pod policy", 10, 50, 1, 1000, 50,
                        DESIRED_WITHIN_RANGE), rules(100, 60, 0, 0, 0)),
                up(row("scaleUp with spec MaxReplicas limitation with large percent policy", 10, 50, 1, 1000, 50,
                        DESIRED_WITHIN_RANGE), rules(10000, 60, 0, 0, 0)),
                up(row("scaleUp with pod policy limitation", 10, 50, 1, 1000, 40, SCALE_UP_LIMIT), rules(30, 60, 0, 0, 0)),
                up(row("scaleUp with percent policy limitation", 10, 50, 1, 1000, 30, SCALE_UP_LIMIT),
                        rules(0, 0, 200, 60, 0)),
                down(row("scaleDown with percent policy larger than pod policy", 100, 2, 1, 1000, 80, SCALE_DOWN_LIMIT),
                        rules(20, 60, 1, 60, 300)),
                down(row("scaleDown with pod policy larger than percent policy", 100, 2, 1, 1000, 98, SCALE_DOWN_LIMIT),
                        rules(2, 60, 1, 60, 300)),
                down(row("scaleDown with spec MinReplicas=nil limitation with large pod policy", 10, 0, 1, 1000, 1,
                        TOO_FEW_REPLICAS), rules(100, 60, 0, 0, 300)),
                down(row("scaleDown with spec MinReplicas limitation with large pod policy", 10, 0, 1, 1000, 1,
                        TOO_FEW_REPLICAS), rules(100, 60, 0, 0, 300)),
                down(row("scaleDown with spec MinReplicas limitation with large percent policy", 10, 2, 5, 1000, 5,
                        TOO_FEW_REPLICAS), rules(0, 0, 100, 60, 300)),
                down(row("scaleDown with pod policy limitation", 10, 2, 1, 1000, 5, SCALE_DOWN_LIMIT), rules(5, 60, 0, 0, 300)),
                down(row("scaleDown with percent policy limitation", 10, 5, 1, 1000, 5, DESIRED_WITHIN_RANGE),
                        rules(0, 0, 50, 60, 300)),
                withEvents(up(row("scaleUp with spec MaxReplicas limitation with large pod policy and events", 100, 500, 1,
                        200, 200, TOO_MANY_REPLICAS), rules(300, 60, 0, 0, 0)), events(120, 1, 5, 9), none),
                withEvents(up(row("scaleUp with spec MaxReplicas limitation with large percent policy and events", 100, 500,
                        1, 200, 200, TOO_MANY_REPLICAS), rules(0, 0, 10000, 60, 0)), events(120, 1, 5, 9), none),
                withEvents(up(row("scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent "
                        + "scale up events", 100, 500, 1, 1000, 100, SCALE_UP_LIMIT), rules(5, 120, 0, 0, 0)),
                        events(120, 1, 5, 9), none),
                withEvents(up(row("scaleUp with pod policy and previous scale up events", 100, 500, 1, 1000, 235,
                        SCALE_UP_LIMIT), rules(150, 120, 0, 0, 0)), events(120, 1, 5, 9), none),
                withEvents(up(row("scaleUp with percent policy and previous scale up events", 100, 500, 1, 1000, 255,
                        SCALE_UP_LIMIT), rules(0, 0, 200, 120, 0)), events(120, 1, 5, 9), none),
                withEvents(up(row("scaleUp with percent policy and previous scale up and down events", 6, 24, 1, 1000, 16,
                        SCALE_UP_LIMIT), rules(0, 0, 300, 300, 0)), events(120, 4), events(120, 2)),
                withEvents(row("scaleDown with default policy and previous events", 10, 5, 1, 1000, 5, DESIRED_WITHIN_RANGE),
                        none, events(120, 1, 5, 9)),
                withEvents(down(row("scaleDown with spec MinReplicas=nil limitation with large pod policy and previous "
                        + "events", 100, 0, 1, 1000, 1, TOO_FEW_REPLICAS), rules(115, 120, 0, 0, 300)),
                        none, events(120, 1, 5, 9)),
                withEvents(down(row("scaleDown with spec MinReplicas limitation with large pod policy and previous events",
                        100, 0, 5, 1000, 5, TOO_FEW_REPLICAS), rules(130, 120, 0, 0, 300)), none, events(120, 1, 5, 9)),
                withEvents(down(row("scaleDown with spec MinReplicas limitation with large percent policy and previous "
                        + "events", 100, 2, 5, 1000, 5, TOO_FEW_REPLICAS), rules(0, 0, 100, 120, 300)),
                        none, events(120, 1, 5, 9)),
                withEvents(down(row("scaleDown with pod policy limitation and previous events", 100, 2, 1, 1000, 100,
                        SCALE_DOWN_LIMIT), rules(5, 120, 0, 0, 300)), none, events(120, 1, 5, 9)),
                withEvents(down(row("scaleDown with percent policy limitation and previous events", 100, 0, 1, 1000, 56,
                        SCALE_DOWN_LIMIT), rules(0, 0, 50, 120, 300)), none, events(120, 2, 4, 6)),
                withEvents(down(row("scaleDown with percent policy and previous scale up and down events", 10, 1, 1, 1000, 6,
                        SCALE_DOWN_LIMIT), rules(0, 0, 50, 180, 0)), events(120, 2), events(120, 4)),
                withEvents(down(row("scaleDown with previous events preventing further scale down", 100, 0, 1, 1000, 100,
                        SCALE_DOWN_LIMIT), rules(0, 0, 10, 120, 300)), none, events(120, 10, 10, 10)),
                withEvents(down(row("scaleDown with with previous events still allowing more scale down", 10, 5, 1, 1000, 5,
                        DESIRED_WITHIN_RANGE), rules(0, 0, 1000, 120, 300)), none, events(120, 10, 10, 10)),
                withEvents(up(row("check 'outdated' flag for events for one behavior for up", 100, 200, 1, 1000, 200,
                        DESIRED_WITHIN_RANGE), rules(1000, 60, 0, 0, 0)), events(120, 8, 12, 9, 11), none),
                withEvents(up(row("check that events were not marked 'outdated' for two different policies in the behavior "
                        + "for up", 100, 200, 1, 1000, 200, DESIRED_WITHIN_RANGE), rules(1000, 120, 100, 60, 0)),
                        events(120, 8, 12, 9, 11), none),
                withEvents(up(row("check that events were marked 'outdated' for two different policies in the behavior for "
                        + "up", 100, 200, 1, 1000, 200, DESIRED_WITHIN_RANGE), rules(1000, 30, 100, 60, 0)),
                        events(120, 8, 12, 9, 11), none),
                withEvents(down(row("check 'outdated' flag for events for one behavior for down", 100, 5, 1, 1000, 5,
                        DESIRED_WITHIN_RANGE), rules(1000, 60, 0, 0, 300)), none, events(120, 8, 12, 9, 11)),
                withEvents(down(row("check that events were not marked 'outdated' for two different policies in the "
                        + "behavior for down", 100, 5, 1, 1000, 5, DESIRED_WITHIN_RANGE), rules(1000, 120, 100, 60, 300)),
                        none, events(120, 8, 12, 9, 11)),
                withEvents(down(row("check that events were marked 'outdated' for two different policies in the behavior "
                        + "for down", 100, 5, 1, 1000, 5, DESIRED_WITHIN_RANGE), rules(1000, 30, 100, 60, 300)),
                        none, events(120, 8, 12, 9, 11)));
    }

    @ParameterizedTest(name = "TestScalingWithRules: {0}")
    @MethodSource
    void scalingWithRules(ScalingRow tc) {
        NormalizationArg arg = new NormalizationArg(
                tc.scaleUpRules == null ? ScalingRules.DEFAULT_SCALE_UP : tc.scaleUpRules,
                tc.scaleDownRules == null ? ScalingRules.DEFAULT_SCALE_DOWN : tc.scaleDownRules,
                tc.min, tc.max, tc.current, tc.prenormalized);
        Limited limited = HpaController.convertDesiredReplicasWithBehaviorRate(arg, tc.scaleUpEvents, tc.scaleDownEvents, NOW);
        assertThat(limited.replicas()).as("replicas").isEqualTo(tc.expectedReplicas);
        assertThat(limited.reason()).as("condition").isEqualTo(tc.expectedCondition);
    }

    /** A TestStoreScaleEvents row: expected events as (replicaChange, outdated). */
    record StoreRow(String name, int replicaChange, List<ScaleEvent> prevScaleEvents, List<int[]> newScaleEvents,
                    ScalingRules scalingRules, int expectedReplicasChange) {
        @Override
        public String toString() {
            return name;
        }
    }

    static ScaleEvent ev(int change, int secondsAgo) {
        return new ScaleEvent(change, NOW.minusSeconds(secondsAgo), false);
    }

    static int[] exp(int change, boolean outdated) {
        return new int[]{change, outdated ? 1 : 0};
    }

    static Stream<StoreRow> storeScaleEvents() {
        return Stream.of(
                new StoreRow("empty entries with default behavior", 5, List.of(), List.of(), null, 0),
                new StoreRow("empty entries with two-policy-behavior", 5, List.of(), List.of(exp(5, false)),
                        rules(10, 60, 100, 60, 0), 0),
                new StoreRow("one outdated entry to be kept untouched without behavior", 5, List.of(ev(7, 61)),
                        List.of(exp(7, false)), null, 0),
                new StoreRow("one outdated entry to be replaced with behavior", 5, List.of(ev(7, 61)),
                        List.of(exp(5, false)), rules(10, 60, 100, 60, 0), 0),
                new StoreRow("one actual entry to be not touched with behavior", 5, List.of(ev(7, 58)),
                        List.of(exp(7, false), exp(5, false)), rules(10, 60, 100, 60, 0), 7),
                new StoreRow("two entries, one of them to be replaced", 5, List.of(ev(7, 61), ev(6, 59)),
                        List.of(exp(5, false), exp(6, false)), rules(10, 60, 0, 0, 0), 6),
                new StoreRow("replace one entry, use policies with different periods", 5,
                        List.of(ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)),
                        List.of(exp(8, false), exp(6, false), exp(7, true), exp(5, false)), rules(10, 60, 100, 30, 0), 14),
                new StoreRow("two entries, both actual", 5, List.of(ev(7, 58), ev(6, 59)),
                        List.of(exp(7, false), exp(6, false), exp(5, false)), rules(10, 120, 100, 30, 0), 13));
    }

    @ParameterizedTest(name = "TestStoreScaleEvents: {0}")
    @MethodSource
    void storeScaleEvents(StoreRow tc) {
        Optional<Behavior> behavior = Optional.ofNullable(tc.scalingRules).map(r -> new Behavior(r, r));
        // scale up
        HpaController.State up = new HpaController.State(HpaHistory.of(List.of(), tc.prevScaleEvents, List.of()));
        assertThat(HpaController.getReplicasChangePerPeriod(60, up.scaleUpEvents, NOW)).isEqualTo(tc.expectedReplicasChange);
        HpaController.storeScaleEvent(behavior, up, 10, 10 + tc.replicaChange, NOW);
        assertEvents(up.scaleUpEvents, tc.newScaleEvents);
        // scale down
        HpaController.State down = new HpaController.State(HpaHistory.of(List.of(), List.of(), tc.prevScaleEvents));
        assertThat(HpaController.getReplicasChangePerPeriod(60, down.scaleDownEvents, NOW))
                .isEqualTo(tc.expectedReplicasChange);
        HpaController.storeScaleEvent(behavior, down, 10, 10 - tc.replicaChange, NOW);
        assertEvents(down.scaleDownEvents, tc.newScaleEvents);
    }

    private static void assertEvents(List<ScaleEvent> got, List<int[]> expected) {
        assertThat(got).hasSize(expected.size());
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).replicaChange()).as("idx %d replicaChange", i).isEqualTo(expected.get(i)[0]);
            assertThat(got.get(i).outdated()).as("idx %d outdated", i).isEqualTo(expected.get(i)[1] == 1);
        }
    }

    record BehaviorRow(String name, List<Recommendation> recommendations, int current, int prenormalized,
                       int expectedStabilized, List<Integer> expectedRecommendations, int upWindow, int downWindow) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BehaviorRow> normalizeDesiredReplicasWithBehavior() {
        return Stream.of(
                new BehaviorRow("empty recommendations for scaling down", List.of(), 100, 5, 5, List.of(5), 0, 0),
                new BehaviorRow("simple scale down stabilization", List.of(rec(4, 120), rec(5, 60)), 100, 3, 5,
                        List.of(4, 5, 3), 0, 180),
                new BehaviorRow("simple scale up stabilization", List.of(rec(4, 120), rec(5, 60)), 1, 7, 4,
                        List.of(4, 5, 7), 300, 0),
                new BehaviorRow("no scale down stabilization", List.of(rec(1, 120), rec(2, 60)), 100, 3, 3,
                        List.of(1, 2, 3), 300, 0),
                new BehaviorRow("no scale up stabilization", List.of(rec(4, 120), rec(5, 60)), 1, 3, 3,
                        List.of(4, 5, 3), 0, 300),
                new BehaviorRow("no scale down stabilization, reuse recommendation element",
                        List.of(rec(10, 600), rec(9, 540)), 100, 3, 3, List.of(10, 3), 0, 0),
                new BehaviorRow("no scale up stabilization, reuse recommendation element",
                        List.of(rec(10, 600), rec(9, 540)), 1, 100, 100, List.of(10, 100), 0, 0),
                new BehaviorRow("scale down stabilization, reuse one of obsolete recommendation element",
                        List.of(rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)), 100, 3, 5, List.of(10, 4, 5, 3),
                        0, 180),
                new BehaviorRow("scale up stabilization, reuse one of obsolete recommendation element",
                        List.of(rec(10, 6000), rec(6, 60), rec(5, 120), rec(9, 180)), 1, 100, 5, List.of(100, 6, 5, 9),
                        300, 0),
                new BehaviorRow("scale up and down stabilization, do not scale up when prenormalized rec goes down",
                        List.of(rec(2, 6000), rec(3, 180)), 2, 1, 2, null, 300, 300),
                new BehaviorRow("scale up and down stabilization, do not scale down when prenormalized rec goes up",
                        List.of(rec(2, 6000), rec(1, 180)), 2, 3, 2, null, 300, 300));
    }

    @ParameterizedTest(name = "TestNormalizeDesiredReplicasWithBehavior: {0}")
    @MethodSource
    void normalizeDesiredReplicasWithBehavior(BehaviorRow tc) {
        List<Recommendation> log = new ArrayList<>(tc.recommendations);
        NormalizationArg arg = new NormalizationArg(
                new ScalingRules(OptionalInt.of(tc.upWindow), SelectPolicy.MAX, ScalingRules.DEFAULT_SCALE_UP.policies(),
                        OptionalDouble.empty()),
                new ScalingRules(OptionalInt.of(tc.downWindow), SelectPolicy.MAX,
                        ScalingRules.DEFAULT_SCALE_DOWN.policies(), OptionalDouble.empty()),
                0, 0, tc.current, tc.prenormalized);
        Limited stabilized = HpaController.stabilizeRecommendationWithBehaviors(log, arg, NOW);
        assertThat(stabilized.replicas()).isEqualTo(tc.expectedStabilized);
        if (tc.expectedRecommendations != null) {
            assertThat(log).extracting(Recommendation::replicas).containsExactlyElementsOf(tc.expectedRecommendations);
        }
    }
}
