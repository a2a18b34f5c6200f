package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.receivers.ReceiverChangePlan.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The receiver scaler's checks: every verdict, with the figures its reason carries. */
class ReceiverChangePlanTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Duration COOLDOWN = Duration.ofMinutes(10);
    static final long GI = 1024L * 1024 * 1024;

    static ReceiverRecommendation scaleOut(ObjectRef target, boolean reportOnly) {
        return new ReceiverRecommendation(RuleAction.ADD_RECEIVERS, target, List.of("receiver-cpu-high"), OptionalInt.of(3),
                OptionalInt.of(6), OptionalDouble.empty(), reportOnly, reportOnly, "cpu 85% > 80% for 10m", List.of());
    }

    static final ObjectRef RECEIVE = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "thanos-receive");

    static Stream<Arguments> targets() {
        return Stream.of(
                arguments(scaleOut(RECEIVE, false), null, null),
                arguments(scaleOut(RECEIVE, true), ActionResult.REPORT_ONLY,
                        "a HorizontalPodAutoscaler owns these replicas: never patched, make sure its metrics are served"),
                arguments(scaleOut(new ObjectRef(ResourceKind.STATEFULSETS, "other", "thanos-receive"), false), ActionResult.REFUSED,
                        "the rule targets statefulset/other/thanos-receive, but this service scales statefulset/monitoring/thanos-receive"
                                + " (autoscaler.receivers.namespace and .statefulset)"),
                arguments(scaleOut(new ObjectRef(ResourceKind.DEPLOYMENTS, "monitoring", "thanos-receive"), false), ActionResult.REFUSED,
                        "the rule targets deployment/monitoring/thanos-receive"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void theRuleMustTargetTheConfiguredStatefulSetAndNoHpa(ReceiverRecommendation r, ActionResult result, String detail) {
        assertVerdict(ReceiverChangePlan.replicasTarget(r, "monitoring", "thanos-receive"), result, detail);
    }

    static Stream<Arguments> replicasNow() {
        Instant until = NOW.plus(Duration.ofMinutes(4));
        return Stream.of(
                // observed, actual now, HPA now, cooling until -> verdict
                arguments(3, 3, null, null, null, null),
                arguments(3, 3, "thanos-receive", null, ActionResult.REPORT_ONLY,
                        "HorizontalPodAutoscaler thanos-receive now owns these replicas: never patched"),
                arguments(3, 5, null, null, ActionResult.WAITING, "replicas changed since observed (3 → 5): decided again next cycle"),
                arguments(3, 5, "thanos-receive", until, ActionResult.REPORT_ONLY, "now owns these replicas"),
                arguments(3, 3, null, until, ActionResult.COOLDOWN, "changed less than 10m ago; next change allowed at 2026-11-25T12:04:00Z"),
                arguments(3, 4, null, until, ActionResult.WAITING, "(3 → 4)"));
    }

    @ParameterizedTest(name = "observed {0}, now {1}, hpa {2}, cooling until {3}")
    @MethodSource("replicasNow")
    void rightBeforeThePatchTheReplicasAreReadAgain(int observed, int actual, String hpa, Instant until, ActionResult result, String detail) {
        assertVerdict(ReceiverChangePlan.replicasNow(observed, actual, Optional.ofNullable(hpa), Optional.ofNullable(until), COOLDOWN),
                result, detail);
    }

    static Stream<Arguments> cooldowns() {
        return Stream.of(
                arguments(null, null),
                arguments("2026-11-25T11:55:00Z", Instant.parse("2026-11-25T12:05:00Z")),
                arguments("2026-11-25T11:50:00Z", null), // exactly the cooldown ago: allowed
                arguments("2026-11-25T11:49:59Z", null),
                arguments("2026-11-25T12:30:00Z", Instant.parse("2026-11-25T12:40:00Z")), // a future stamp still cools
                arguments("yesterday", null)); // not ours to trust: the change goes ahead and rewrites it
    }

    @ParameterizedTest(name = "changed at {0} -> cooling until {1}")
    @MethodSource("cooldowns")
    void theCooldownComesFromTheAnnotationOnTheObject(String changedAt, Instant until) {
        assertThat(ReceiverChangePlan.coolingUntil(Optional.ofNullable(changedAt), COOLDOWN, NOW)).isEqualTo(Optional.ofNullable(until));
    }

    static Stream<Arguments> patchPoint() {
        return Stream.of(
                // apply, leader, refusal -> verdict
                arguments(false, true, null, ActionResult.RECOMMENDED, "would replicas 3 → 6 (autoscaler.policy.mode=recommend)"),
                arguments(false, false, null, ActionResult.RECOMMENDED, "would replicas 3 → 6 (autoscaler.policy.mode=recommend)"),
                arguments(false, true, "policy invalid", ActionResult.RECOMMENDED, "would replicas 3 → 6"),
                arguments(true, false, null, ActionResult.NOT_LEADER, "not the leader: another replica acts"),
                arguments(true, false, "policy invalid", ActionResult.NOT_LEADER, "not the leader"),
                arguments(true, true, "the defaults stand in for an invalid policy file", ActionResult.REFUSED,
                        "the defaults stand in for an invalid policy file"),
                arguments(true, true, null, null, null));
    }

    @ParameterizedTest(name = "apply {0}, leader {1}, refusal {2}")
    @MethodSource("patchPoint")
    void aPatchIsSentOnlyInApplyModeByTheLeaderWhenNothingRefusesIt(boolean apply, boolean leader, String refusal,
                                                                    ActionResult result, String detail) {
        assertVerdict(ReceiverChangePlan.atPatchPoint(apply, leader, Optional.ofNullable(refusal), "replicas 3 → 6"), result, detail);
        assertThat(ReceiverChangePlan.announcesRefusal(apply, leader)).isEqualTo(apply && leader);
    }

    @Test
    void aVolumeGrowsByTheFactorRoundedUpToAWholeGiAndStopsAtTheMaximum() {
        assertThat(ReceiverChangePlan.volumeTarget(100 * GI, 2, OptionalLong.empty())).isEqualTo(200 * GI);
        assertThat(ReceiverChangePlan.volumeTarget(100 * GI, 1.25, OptionalLong.empty())).isEqualTo(125 * GI);
        assertThat(ReceiverChangePlan.volumeTarget(10 * GI + 1, 1.5, OptionalLong.empty())).isEqualTo(16 * GI);
        assertThat(ReceiverChangePlan.volumeTarget(100 * GI, 2, OptionalLong.of(150 * GI))).isEqualTo(150 * GI);
        assertThat(ReceiverChangePlan.volumeTarget(200 * GI, 2, OptionalLong.of(150 * GI))).isEqualTo(150 * GI);
        assertThat(ReceiverChangePlan.volumeAtMax(100 * GI, 150 * GI, "100Gi")).isEmpty();
        assertThat(ReceiverChangePlan.volumeAtMax(150 * GI, 150 * GI, "150Gi")).contains(
                "already at autoscaler.policy.volume-max (150Gi): shorten the receivers' retention (--tsdb.retention) instead");
        assertThat(ReceiverChangePlan.volumeAtMax(200 * GI, 150 * GI, "200Gi")).isPresent();
    }

    @Test
    void aResizeIsInProgressWhileTheCapacityLagsOrThePvcSaysSo() {
        assertThat(ReceiverChangePlan.resizeInProgress(OptionalLong.of(100 * GI), 200 * GI, false)).isTrue();
        assertThat(ReceiverChangePlan.resizeInProgress(OptionalLong.of(200 * GI), 200 * GI, false)).isFalse();
        assertThat(ReceiverChangePlan.resizeInProgress(OptionalLong.empty(), 200 * GI, false)).isFalse();
        assertThat(ReceiverChangePlan.resizeInProgress(OptionalLong.of(200 * GI), 200 * GI, true)).isTrue();
        assertVerdict(ReceiverChangePlan.volumeNow(Optional.of(Instant.parse("2026-11-25T12:04:00Z")), COOLDOWN), ActionResult.COOLDOWN,
                "resized less than 10m ago; next change allowed at 2026-11-25T12:04:00Z");
        assertVerdict(ReceiverChangePlan.volumeNow(Optional.empty(), COOLDOWN), null, null);
    }

    static void assertVerdict(Optional<Verdict> verdict, ActionResult result, String detail) {
        if (result == null) {
            assertThat(verdict).as("goes ahead").isEmpty();
            return;
        }
        assertThat(verdict).hasValueSatisfying(v -> {
            assertThat(v.result()).isEqualTo(result);
            assertThat(v.detail()).contains(detail);
        });
    }
}
