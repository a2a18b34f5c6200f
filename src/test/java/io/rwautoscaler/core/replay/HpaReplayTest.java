package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.hpa.Behavior;
import io.rwautoscaler.core.hpa.ControllerSettings;
import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.hpa.MetricSpec;
import io.rwautoscaler.core.hpa.MetricTarget;
import io.rwautoscaler.core.hpa.ScalingPolicy;
import io.rwautoscaler.core.hpa.ScalingRules;
import io.rwautoscaler.core.hpa.SelectPolicy;
import io.rwautoscaler.core.metrics.BuiltinRules;
import io.rwautoscaler.core.receivers.RunbookRules;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.rwautoscaler.core.replay.ReplayTest.FROM;
import static io.rwautoscaler.core.replay.ReplayTest.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook's HPA on the receivers (3–10, cpu 70 %, memory 75 %, the served queue length at 3000 per receiver,
 * scale-up +50 % per 60 s after 300 s, scale-down 1 pod per 300 s after 600 s) replayed with core.hpa over the
 * same surge day as {@link ReplayTest}, beside the policy.
 */
class HpaReplayTest {

    static final Behavior RUNBOOK_BEHAVIOR = new Behavior(ScalingRules.of(300, SelectPolicy.MAX, ScalingPolicy.percent(50, 60)),
            ScalingRules.of(600, SelectPolicy.MAX, ScalingPolicy.pods(1, 300)));
    static final HpaSpec RUNBOOK_HPA = new HpaSpec(3, 10, List.of(
            new MetricSpec.Resource("cpu", MetricTarget.utilization(70)),
            new MetricSpec.Resource("memory", MetricTarget.utilization(75)),
            new MetricSpec.Pods(BuiltinRules.QUEUE_LENGTH, Optional.empty(), MetricTarget.averageValueMilli(3_000_000))),
            Optional.of(RUNBOOK_BEHAVIOR));
    static final Instant SURGE = FROM.plus(Duration.ofHours(10));
    static final ReplayWindow WINDOW = new ReplayWindow(FROM, FROM.plus(Duration.ofDays(1)), Duration.ofMinutes(5));

    /** The day's figures as the HPA reads them: 3 agents' queues (800 each, 9,000 in the surge), CPU, memory 60 %. */
    static HpaFigures figures(ReceiverHistory day, boolean memory) {
        double[] queue = day.byExpression().get(RunbookRules.AGENT_QUEUE);
        double[] total = Arrays.stream(queue).map(q -> 3 * q).toArray();
        double[] mem = day.grid().empty();
        if (memory) {
            Arrays.fill(mem, 0.6);
        }
        return new HpaFigures(Map.of(BuiltinRules.QUEUE_LENGTH, total), Map.of(),
                day.byExpression().get(RunbookRules.RECEIVER_CPU), mem, Map.of());
    }

    static ReplayResult replay(boolean memory) {
        ReceiverHistory day = ReplayTest.day(SURGE, Duration.ofHours(2));
        HpaPart hpa = HpaPart.of(new HpaSetup("monitoring/thanos-receive", RUNBOOK_HPA, ControllerSettings.DEFAULTS),
                figures(day, memory));
        return Replay.run(WINDOW, SETTINGS, day, ShardHistory.none(WINDOW.steps()), hpa, () -> false);
    }

    @Test
    void theHpaScalesOutOnTheServedQueueWithinItsStabilizationAndBackInAfterTheSurgeOnItsOwnFleet() {
        ReplayResult r = replay(true);
        HpaReplayResult hpa = r.hpa();
        assertThat(hpa.available()).isTrue();
        assertThat(hpa.failedSyncs()).isZero();
        // one sync per 30 s point of the day, and the step at the window's end
        assertThat(hpa.syncs()).isEqualTo(24 * 120 + 1);

        List<HpaReplayResult.Rescale> up = hpa.events().stream().filter(e -> e.to() > e.from()).toList();
        List<HpaReplayResult.Rescale> down = hpa.events().stream().filter(e -> e.to() < e.from()).toList();
        // 27,000 queued over 3,000 per receiver = 9, reached at +50 % per minute after the 300 s window: 3 → 5 → 8 → 9
        assertThat(up).extracting(HpaReplayResult.Rescale::to).containsExactly(5, 8, 9);
        assertThat(up.get(0).message()).isEqualTo("New size: 5; reason: pods metric " + BuiltinRules.QUEUE_LENGTH
                + " above target");
        // the first sync whose 300 s window holds only high recommendations (the last calm one, 30 s before the
        // surge, falls out of it at +4m30s: upstream keeps those strictly after now - 300 s)
        assertThat(Duration.between(SURGE, up.get(0).at())).isEqualTo(Duration.ofSeconds(270));
        // After the surge its 9 pods share the load: one pod per 300 s after 600 s, down to its minimum of 3.
        assertThat(down).extracting(HpaReplayResult.Rescale::to).containsExactly(8, 7, 6, 5, 4, 3);
        Instant surgeEnd = SURGE.plus(Duration.ofHours(2));
        assertThat(down.get(0).at()).isEqualTo(surgeEnd.plus(Duration.ofSeconds(570)));
        assertThat(Duration.between(down.get(0).at(), down.get(5).at())).isEqualTo(Duration.ofMinutes(25));
        // Calm hours: nothing.
        assertThat(hpa.events()).allSatisfy(e -> assertThat(e.at()).isBetween(SURGE, surgeEnd.plus(Duration.ofHours(1))));

        double[] replicas = r.timeline().column(ReplayTimeline.HPA_REPLICAS);
        double[] wanted = r.timeline().column(ReplayTimeline.HPA_WANTED);
        int surgeStep = (int) (Duration.between(FROM, SURGE).toMinutes() / 5);
        assertThat(replicas[surgeStep - 1]).isEqualTo(3);
        // at the surge's first step it already wants 9 and still runs 3; five minutes later 5
        assertThat(wanted[surgeStep]).isEqualTo(9);
        assertThat(replicas[surgeStep]).isEqualTo(3);
        assertThat(replicas[surgeStep + 1]).isEqualTo(5);
        assertThat(replicas[surgeStep + 12]).isEqualTo(9);
        // its pods read the served queue as total ÷ its replicas
        assertThat(r.timeline().column(ReplayTimeline.QUEUE_PER_RECEIVER_HPA)).isNotNull();
        assertThat(Arrays.stream(replicas).max().getAsDouble()).isEqualTo(9);
        assertThat(replicas[replicas.length - 1]).isEqualTo(3);
        assertThat(hpa.replicaHours()).isGreaterThan(r.totals().recordedReplicaHours());

        // Policy vs HPA: the HPA is out first (at +5 min, the policy at +15 min, and to 9 rather than 6), back in first.
        ReplayDecision policyOut = r.decisions().stream().filter(d -> d.amount().equals("replicas 3 → 6")).findFirst().orElseThrow();
        assertThat(up.get(0).at()).isBefore(policyOut.at());
        assertThat(hpa.versusPolicy()).isNotEmpty();
        HpaReplayResult.Difference first = hpa.versusPolicy().get(0);
        assertThat(first.direction()).isEqualTo("the HPA would have run more receivers than the policy");
        assertThat(first.hpaMax()).isEqualTo(9);
        assertThat(first.policyMax()).isEqualTo(6);
        assertThat(first.from()).isAfterOrEqualTo(up.get(0).at()).isBefore(up.get(0).at().plus(WINDOW.step()));
        assertThat(hpa.versusPolicy()).anySatisfy(d -> assertThat(d.direction())
                .isEqualTo("the policy would have run more receivers than the HPA"));
    }

    @Test
    void aMetricItCannotReadKeepsTheHpaFromScalingDownAsUpstreamDoes() {
        ReplayResult r = replay(false);
        HpaReplayResult hpa = r.hpa();
        assertThat(hpa.failedSyncs()).isEqualTo(hpa.syncs());
        assertThat(hpa.notes()).anySatisfy(n -> assertThat(n).contains("no receiver memory utilization recorded"));
        // scales up on the metrics it has, never down: still 9 at the end of the day
        assertThat(hpa.events()).extracting(HpaReplayResult.Rescale::to).containsExactly(5, 8, 9);
        double[] replicas = r.timeline().column(ReplayTimeline.HPA_REPLICAS);
        assertThat(replicas[replicas.length - 1]).isEqualTo(9);
    }

    @Test
    void withoutAnHpaTheReportSaysWhy() {
        ReceiverHistory day = ReplayTest.day(SURGE, Duration.ofHours(2));
        ReplayResult r = Replay.run(WINDOW, SETTINGS, day, ShardHistory.none(WINDOW.steps()),
                HpaPart.absent("no HorizontalPodAutoscaler in monitoring targets StatefulSet thanos-receive"), () -> false);
        assertThat(r.hpa().available()).isFalse();
        assertThat(r.hpa().absentBecause()).contains("no HorizontalPodAutoscaler in monitoring targets StatefulSet thanos-receive");
        assertThat(r.timeline().names()).doesNotContain(ReplayTimeline.HPA_REPLICAS);
    }
}
