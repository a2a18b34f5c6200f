package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.RuleAction;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ShardPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayTest {

    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    static final ReceiverPolicy POLICY = ReceiverPolicy.defaults();
    static final ReplaySettings SETTINGS = new ReplaySettings(POLICY, Duration.ofMinutes(10),
            Set.of(RunbookRules.RECEIVER_CPU_HIGH, RunbookRules.RECEIVER_CPU_LOW, RunbookRules.RECEIVER_MEMORY_HIGH,
                    RunbookRules.RECEIVER_MEMORY_LOW),
            ShardPolicy.defaults(), Duration.ofDays(7), Duration.ofHours(1));

    /** A day at 30 s; the surge (16,000 samples/s, CPU 95 %, queues 9,000) from 10:00 to 12:00; 3 real receivers. */
    static ReceiverHistory day(Instant surgeStart, Duration surge) {
        Grid fine = Grid.aligned(FROM.minus(Duration.ofHours(1)), FROM.plus(Duration.ofDays(1)), Duration.ofSeconds(30));
        double[] cpu = fine.empty();
        double[] mem = fine.empty();
        double[] queue = fine.empty();
        double[] volume = fine.empty();
        double[] latency = fine.empty();
        double[] samples = fine.empty();
        double[] replicas = fine.empty();
        for (int k = 0; k < fine.size(); k++) {
            long t = fine.millis(k);
            boolean in = t >= surgeStart.toEpochMilli() && t < surgeStart.plus(surge).toEpochMilli();
            // A 5 m rate: the surge shows in CPU over five minutes, as rate(...[5m]) takes it in.
            long since = t - surgeStart.toEpochMilli();
            double ramp = since <= 0 ? 0 : Math.min(1, since / 300_000.0);
            cpu[k] = in ? 0.55 + 0.40 * ramp : 0.55;
            mem[k] = 0.6;
            queue[k] = in ? 9000 : 800;
            volume[k] = 0.4;
            latency[k] = 0.3;
            samples[k] = in ? 16000 : 8000;
            replicas[k] = 3;
        }
        Map<String, double[]> byExpr = new HashMap<>();
        byExpr.put(RunbookRules.RECEIVER_CPU, cpu);
        byExpr.put(RunbookRules.RECEIVER_MEMORY, mem);
        byExpr.put(RunbookRules.AGENT_QUEUE, queue);
        byExpr.put(RunbookRules.RECEIVER_VOLUME, volume);
        byExpr.put(RunbookRules.RECEIVER_LATENCY_P99, latency);
        return new ReceiverHistory(fine, byExpr, samples, replicas, Map.of());
    }

    @Test
    void surgeScalesOutWithinTwentyMinutesThenInAndNothingOnCalmHours() {
        Instant surge = FROM.plus(Duration.ofHours(10));
        ReplayWindow window = new ReplayWindow(FROM, FROM.plus(Duration.ofDays(1)), Duration.ofMinutes(5));
        ReplayResult r = Replay.run(window, SETTINGS, day(surge, Duration.ofHours(2)), ShardHistory.none(window.steps()),
                () -> false);

        List<ReplayDecision> replicas = r.decisions().stream().filter(d -> d.amount().startsWith("replicas")).toList();
        assertThat(replicas).hasSize(2);
        ReplayDecision out = replicas.get(0);
        assertThat(out.action()).isEqualTo(RuleAction.ADD_RECEIVERS.name());
        assertThat(out.rules()).contains(RunbookRules.RECEIVER_CPU_HIGH, RunbookRules.AGENT_QUEUE_HIGH);
        assertThat(out.amount()).isEqualTo("replicas 3 → 6");
        assertThat(out.outcome()).isEqualTo(ReplayOutcome.APPLIED);
        assertThat(Duration.between(surge, out.at())).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(20));
        ReplayDecision in = replicas.get(1);
        assertThat(in.action()).isEqualTo(RuleAction.REMOVE_RECEIVERS.name());
        assertThat(in.amount()).isEqualTo("replicas 6 → 3");
        assertThat(in.at()).isAfterOrEqualTo(surge.plus(Duration.ofHours(3)));
        // Nothing before the surge, nothing after the fleet is back at 3.
        assertThat(r.decisions()).allSatisfy(d -> assertThat(d.at()).isBetween(surge, in.at()));
        // The replayed CPU after the scale-out is the recorded 95 % on 6 instead of 3 receivers.
        int after = (int) (Duration.between(FROM, out.at()).toMinutes() / 5) + 1;
        assertThat(r.timeline().column(ReplayTimeline.RULE + RunbookRules.RECEIVER_CPU_HIGH)[after]).isCloseTo(0.475, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.timeline().column(ReplayTimeline.REPLAYED_REPLICAS)[after]).isEqualTo(6);
        assertThat(r.totals().decisions().get(ReplayDecision.RECEIVERS)).isEqualTo(r.decisions().size());
        assertThat(r.totals().applied().get(ReplayDecision.RECEIVERS)).isEqualTo(2);
        assertThat(r.totals().replayedReplicaHours()).isGreaterThan(r.totals().recordedReplicaHours());
        assertThat(r.totals().disagreements()).hasSize(1);
        assertThat(r.totals().disagreements().get(0).from()).isEqualTo(out.at());
    }

    /**
     * The one "held for" (WindowCoverage): receiver CPU is recorded only from 10:00, at 95 %. The first point alone
     * does not prove "above 80 % for 10m": the rule is UNKNOWN until the data covers the window (90 % of its 30 s
     * points), so the scale-out comes at 10:10, not at 10:00.
     */
    @Test
    void aRuleWindowCountsOnlyWhenTheDataCoversIt() {
        Instant start = FROM.plus(Duration.ofHours(10));
        ReceiverHistory calm = day(FROM.plus(Duration.ofDays(2)), Duration.ZERO);
        double[] cpu = calm.grid().empty();
        for (int k = 0; k < cpu.length; k++) {
            cpu[k] = calm.grid().millis(k) >= start.toEpochMilli() ? 0.95 : Double.NaN;
        }
        Map<String, double[]> byExpr = new HashMap<>(calm.byExpression());
        byExpr.put(RunbookRules.RECEIVER_CPU, cpu);
        ReceiverHistory late = new ReceiverHistory(calm.grid(), byExpr, calm.samplesPerSecond(), calm.recordedReplicas(),
                Map.of());
        ReplayWindow window = new ReplayWindow(FROM, FROM.plus(Duration.ofDays(1)), Duration.ofMinutes(5));
        ReplayResult r = Replay.run(window, SETTINGS, late, ShardHistory.none(window.steps()), () -> false);
        ReplayDecision out = r.decisions().stream().filter(d -> d.action().equals(RuleAction.ADD_RECEIVERS.name()))
                .findFirst().orElseThrow();
        assertThat(out.at()).isEqualTo(start.plus(Duration.ofMinutes(10)));
    }

    @Test
    void cooldownHoldsASecondChange() {
        ReplaySettings longCooldown = new ReplaySettings(POLICY, Duration.ofHours(6), SETTINGS.perReceiverRules(),
                SETTINGS.shardPolicy(), SETTINGS.historyWindow(), SETTINGS.minHistory());
        Instant surge = FROM.plus(Duration.ofHours(10));
        ReplayWindow window = new ReplayWindow(FROM, FROM.plus(Duration.ofDays(1)), Duration.ofMinutes(5));
        ReplayResult r = Replay.run(window, longCooldown, day(surge, Duration.ofHours(2)),
                ShardHistory.none(window.steps()), () -> false);
        ReplayDecision in = r.decisions().stream().filter(d -> d.action().equals("REMOVE_RECEIVERS")).findFirst().orElseThrow();
        assertThat(in.outcome()).isEqualTo(ReplayOutcome.COOLDOWN);
        assertThat(in.why()).contains("cooldown");
        ReplayDecision applied = r.decisions().stream().filter(d -> d.action().equals("REMOVE_RECEIVERS")
                && d.outcome() == ReplayOutcome.APPLIED).findFirst().orElseThrow();
        assertThat(applied.at()).isAfterOrEqualTo(surge.plus(Duration.ofMinutes(15)).plus(Duration.ofHours(6)));
    }

    @Test
    void missingDataIsUnknownNotCalm() {
        ReplayWindow window = new ReplayWindow(FROM, FROM.plus(Duration.ofHours(6)), Duration.ofMinutes(5));
        Grid fine = Grid.aligned(FROM.minus(Duration.ofHours(1)), window.to(), Duration.ofSeconds(30));
        ReplayResult r = Replay.run(window, SETTINGS, new ReceiverHistory(fine, Map.of(), fine.empty(), fine.empty(),
                Map.of()), ShardHistory.none(window.steps()), () -> false);
        assertThat(r.decisions()).isEmpty();
        assertThat(r.notes()).anyMatch(n -> n.contains("UNKNOWN at every step"));
        assertThat(r.notes()).anyMatch(n -> n.contains("unknown throughout"));
        assertThat(r.totals().recordedCoverage()).isZero();
    }

    @Test
    void shardTunerRaisesAQueueThatStaysHighWithinItsBudget() {
        ReplayResult r = Replay.run(HIGH_WINDOW, SETTINGS, noReceivers(), highQueues(20, -1), () -> false);

        List<ReplayDecision> raises = r.decisions().stream().filter(d -> d.action().equals("raise")).toList();
        // 20 queues want a raise at 02:15; the budget of 10 an hour grants 10 then, the rest wait for the next hour.
        assertThat(raises.size()).isGreaterThanOrEqualTo(20);
        assertThat(raises.get(0).at()).isEqualTo(FROM.plus(Duration.ofMinutes(135)));
        assertThat(raises.get(0).amount()).contains("maxShards 20 → 40");
        assertThat(raises.stream().filter(d -> d.at().equals(raises.get(0).at()))).hasSize(10);
        assertThat(r.decisions()).anyMatch(d -> d.outcome() == ReplayOutcome.BUDGET_EXHAUSTED);
        assertThat(r.queues()).isEqualTo(20);
    }

    /**
     * Live's "held for" (since the later of the last break and the first sample) skips missing points: a scrape
     * missed at 02:10 neither holds nor breaks, so the queue high (and at its max) since 02:00 has held for 15 minutes
     * at 02:15.
     */
    @Test
    void aGapInTheDataDoesNotRestartAHeldWindow() {
        ReplayResult gap = Replay.run(HIGH_WINDOW, SETTINGS, noReceivers(), highQueues(1, 26), () -> false);
        List<ReplayDecision> raises = gap.decisions().stream().filter(d -> d.action().equals("raise")).toList();
        assertThat(raises).isNotEmpty();
        assertThat(raises.get(0).at()).isEqualTo(FROM.plus(Duration.ofMinutes(135)));
        // a known value that does not hold restarts it: held from 02:15, 15 minutes at 02:30
        ReplayResult broken = Replay.run(HIGH_WINDOW, SETTINGS, noReceivers(), highQueues(1, -26), () -> false);
        assertThat(broken.decisions().stream().filter(d -> d.action().equals("raise")).findFirst().orElseThrow().at())
                .isEqualTo(FROM.plus(Duration.ofMinutes(150)));
    }

    static final ReplayWindow HIGH_WINDOW = new ReplayWindow(FROM, FROM.plus(Duration.ofHours(12)), Duration.ofMinutes(5));

    static ReceiverHistory noReceivers() {
        Grid fine = Grid.aligned(FROM.minus(Duration.ofHours(1)), HIGH_WINDOW.to(), Duration.ofSeconds(30));
        return new ReceiverHistory(fine, Map.of(), fine.empty(), fine.empty(), Map.of());
    }

    /**
     * Queues whose backlog is high (and shards_desired above the max) from 02:00 to 05:00; {@code hole} &gt; 0: no
     * value of either at that step, &lt; 0: calm values at step -hole.
     */
    static ShardHistory highQueues(int count, int hole) {
        ReplayWindow window = HIGH_WINDOW;
        int history = (int) (Duration.ofDays(1).toMinutes() / 5);
        List<QueueHistory> queues = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            float[][] f = new float[QueueSignal.values().length][window.steps()];
            for (int i = 0; i < window.steps(); i++) {
                boolean high = i >= 24 && i < 60; // 02:00 to 05:00
                f[QueueSignal.PENDING.ordinal()][i] = high ? 9000 : 100;
                f[QueueSignal.LAG.ordinal()][i] = 5;
                f[QueueSignal.SHARDS.ordinal()][i] = high ? 20 : 4;
                f[QueueSignal.SHARDS_DESIRED.ordinal()][i] = high ? 40 : 4;
                f[QueueSignal.MIN_SHARDS.ordinal()][i] = 1;
                f[QueueSignal.MAX_SHARDS.ordinal()][i] = 20;
                f[QueueSignal.CAPACITY.ordinal()][i] = 10000;
                f[QueueSignal.MAX_SAMPLES_PER_SEND.ordinal()][i] = 2000;
                f[QueueSignal.SAMPLES_IN.ordinal()][i] = 1000;
                f[QueueSignal.SAMPLES_OUT.ordinal()][i] = 1000;
                f[QueueSignal.RETRIED.ordinal()][i] = 0;
                f[QueueSignal.SEND_LATENCY.ordinal()][i] = 0.05f;
            }
            if (hole > 0) {
                f[QueueSignal.PENDING.ordinal()][hole] = Float.NaN;
                f[QueueSignal.SHARDS_DESIRED.ordinal()][hole] = Float.NaN;
            } else if (hole < 0) {
                f[QueueSignal.PENDING.ordinal()][-hole] = 100;
                f[QueueSignal.SHARDS_DESIRED.ordinal()][-hole] = 4;
            }
            float[] desired = new float[history + window.steps()];
            java.util.Arrays.fill(desired, 4);
            System.arraycopy(f[QueueSignal.SHARDS_DESIRED.ordinal()], 0, desired, history, window.steps());
            queues.add(new QueueHistory(new QueueSeries("monitoring", "agent-" + a, "thanos", "http://receive/api/v1/receive"),
                    f, desired));
        }
        double[] nan = Grid.of(window).empty();
        return new ShardHistory(queues, history, nan, nan, nan, nan, Map.of());
    }

    @Test
    void windowsThatCannotBeReplayedSayWhatToChange() {
        assertThatThrownBy(() -> new ReplayWindow(FROM, FROM, Duration.ofMinutes(5))).hasMessageContaining("must be before");
        assertThatThrownBy(() -> new ReplayWindow(FROM, FROM.plus(Duration.ofDays(32)), Duration.ofMinutes(5)))
                .hasMessageContaining("more than the 31 days");
        assertThatThrownBy(() -> new ReplayWindow(FROM, FROM.plus(Duration.ofDays(7)), Duration.ofSeconds(30)))
                .hasMessageContaining("20161 points").hasMessageContaining("at least 55s");
    }

    @Test
    void slidingQuantileMatchesQuantileOverTime() {
        SlidingQuantile q = new SlidingQuantile(2);
        for (double v : new double[] {5, 1, 3, 2, 4}) {
            q.add(v);
        }
        assertThat(q.quantile(0.5).getAsDouble()).isEqualTo(3);
        assertThat(q.quantile(0.99).getAsDouble()).isCloseTo(4.96, org.assertj.core.data.Offset.offset(1e-9));
        q.remove(5);
        q.add(Double.NaN);
        assertThat(q.size()).isEqualTo(4);
        assertThat(q.quantile(1).getAsDouble()).isEqualTo(4);
    }

    @Test
    void stopsWhenCancelled() {
        ReplayWindow window = new ReplayWindow(FROM, FROM.plus(Duration.ofHours(6)), Duration.ofMinutes(5));
        assertThatThrownBy(() -> Replay.run(window, SETTINGS, day(FROM, Duration.ZERO), ShardHistory.none(window.steps()),
                () -> true)).isInstanceOf(java.util.concurrent.CancellationException.class);
    }
}
