package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.receivers.PolicyRule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * What the loops would have done over a stretch of history: the receiver policy and the shard tuner stepped
 * through the window with the live decision code, on a fleet that follows the replay's own decisions (apply
 * mode, one leader) while the load comes from history. Pure: range data in, per-step decisions out.
 *
 * <p>Time and memory are linear in steps × (rules × fine points per step + queues); nothing is kept per step but
 * the timeline's few columns and the decisions.
 */
public final class Replay {

    private Replay() {
    }

    /**
     * @param cancelled asked between steps; true stops the replay with a {@link CancellationException} (the time
     *                  limit, a shut-down)
     */
    public static ReplayResult run(ReplayWindow window, ReplaySettings settings, ReceiverHistory receivers,
                                   ShardHistory shards, BooleanSupplier cancelled) {
        return run(window, settings, receivers, shards, HpaPart.absent("no HPA given to the replay"), cancelled);
    }

    /**
     * With the receivers' HPA replayed beside the policy, on its own fleet ({@link HpaReplay}).
     *
     * @param cancelled asked between steps; true stops the replay with a {@link CancellationException}
     */
    public static ReplayResult run(ReplayWindow window, ReplaySettings settings, ReceiverHistory receivers,
                                   ShardHistory shards, HpaPart hpa, BooleanSupplier cancelled) {
        Objects.requireNonNull(hpa, "hpa");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(receivers, "receivers");
        Objects.requireNonNull(shards, "shards");
        List<String> notes = new ArrayList<>();
        ReceiverReplay receiverSide = new ReceiverReplay(settings, receivers, window, notes);
        ShardReplay shardSide = new ShardReplay(settings, shards, window);
        int initial = receiverSide.initial();

        Grid steps = Grid.of(window);
        int size = steps.size();
        double[] recorded = steps.empty();
        double[] replayed = steps.empty();
        double[] samples = steps.empty();
        double[] queueTotal = steps.empty();
        double[] perReceiver = steps.empty();
        double[] perReceiverRecorded = steps.empty();
        double[] shardChanges = steps.empty();
        List<PolicyRule> rules = receiverSide.rules();
        double[][] ruleColumns = new double[rules.size()][];
        double[][] recordedColumns = new double[rules.size()][];
        for (int j = 0; j < rules.size(); j++) {
            ruleColumns[j] = steps.empty();
            recordedColumns[j] = receiverSide.perReceiver(j) ? steps.empty() : null;
        }

        List<ReplayDecision> decisions = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("replay stopped at " + steps.instant(i) + ", step " + (i + 1) + " of " + size);
            }
            Instant at = steps.instant(i);
            receiverSide.step(at, decisions);
            shardSide.step(i, at, receiverSide.factorNow(at), decisions);

            recorded[i] = receiverSide.recordedNow;
            replayed[i] = receiverSide.replicas();
            samples[i] = receiverSide.samplesNow;
            queueTotal[i] = shardSide.pendingTotal;
            perReceiver[i] = shardSide.pendingTotal / receiverSide.replicas();
            perReceiverRecorded[i] = shardSide.pendingTotal / receiverSide.recordedNow;
            shardChanges[i] = shardSide.appliedLastStep;
            for (int j = 0; j < rules.size(); j++) {
                ruleColumns[j][i] = receiverSide.seen[j];
                if (recordedColumns[j] != null) {
                    recordedColumns[j][i] = receiverSide.recorded[j];
                }
            }
        }

        Map<String, double[]> columns = new LinkedHashMap<>();
        columns.put(ReplayTimeline.RECORDED_REPLICAS, recorded);
        columns.put(ReplayTimeline.REPLAYED_REPLICAS, replayed);
        columns.put(ReplayTimeline.SAMPLES_PER_SECOND, samples);
        columns.put(ReplayTimeline.QUEUE_TOTAL, queueTotal);
        columns.put(ReplayTimeline.QUEUE_PER_RECEIVER, perReceiver);
        columns.put(ReplayTimeline.QUEUE_PER_RECEIVER_RECORDED, perReceiverRecorded);
        columns.put(ReplayTimeline.SHARD_CHANGES, shardChanges);
        for (int j = 0; j < rules.size(); j++) {
            columns.put(ReplayTimeline.RULE + rules.get(j).name(), ruleColumns[j]);
            if (recordedColumns[j] != null) {
                columns.put(ReplayTimeline.RECORDED_RULE + rules.get(j).name(), recordedColumns[j]);
            }
        }
        HpaReplayResult hpaResult = HpaReplayResult.absent(hpa.absentBecause());
        if (hpa.setup().isPresent()) {
            HpaReplay.Outcome o = HpaReplay.run(hpa.setup().get(), hpa.figures().get(), receivers, window, initial,
                    replayed, cancelled);
            hpaResult = o.result();
            double[] hpaReplicas = o.columns().replicas();
            double[] hpaShare = steps.empty();
            for (int i = 0; i < size; i++) {
                hpaShare[i] = queueTotal[i] / hpaReplicas[i];
            }
            columns.put(ReplayTimeline.HPA_REPLICAS, hpaReplicas);
            columns.put(ReplayTimeline.HPA_WANTED, o.columns().wanted());
            columns.put(ReplayTimeline.QUEUE_PER_RECEIVER_HPA, hpaShare);
        }
        ReplayTimeline timeline = new ReplayTimeline(steps, columns);

        if (shardSide.insufficient > 0) {
            notes.add("shard tuner: " + shardSide.insufficient + " queue-steps of " + (long) shardSide.queues() * size
                    + " lacked a figure the decision needs (insufficient-data, as live would report it), e.g. "
                    + shardSide.insufficientExample);
        }
        if (shardSide.queues() == 0) {
            notes.add("no remote-write queue series in the window: the shard tuner had nothing to decide");
        }
        notes.add("per-receiver figures (rules " + String.join(", ", settings.perReceiverRules().stream().sorted().toList())
                + ", and the receivers' CPU the shard tuner reads) are rescaled by recorded ÷ replayed replicas; agent"
                + " queues, samples/s and latency come from history unchanged");
        return new ReplayResult(window, decisions, timeline, totals(decisions, timeline, window), initial,
                shardSide.queues(), hpaResult, notes);
    }

    static ReplayTotals totals(List<ReplayDecision> decisions, ReplayTimeline timeline, ReplayWindow window) {
        Map<String, Integer> perLoop = new LinkedHashMap<>();
        Map<String, Integer> applied = new LinkedHashMap<>();
        perLoop.put(ReplayDecision.RECEIVERS, 0);
        perLoop.put(ReplayDecision.SHARDS, 0);
        applied.put(ReplayDecision.RECEIVERS, 0);
        applied.put(ReplayDecision.SHARDS, 0);
        for (ReplayDecision d : decisions) {
            perLoop.merge(d.loop(), 1, Integer::sum);
            if (d.outcome().acts()) {
                applied.merge(d.loop(), 1, Integer::sum);
            }
        }
        double stepHours = window.step().toMillis() / 3_600_000.0;
        double[] recorded = timeline.column(ReplayTimeline.RECORDED_REPLICAS);
        double[] replayed = timeline.column(ReplayTimeline.REPLAYED_REPLICAS);
        Grid grid = timeline.grid();
        double replayedHours = 0;
        double recordedHours = 0;
        int known = 0;
        List<ReplayTotals.Disagreement> periods = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= grid.size(); i++) {
            boolean differs = false;
            if (i < grid.size()) {
                replayedHours += replayed[i] * stepHours;
                if (Double.isFinite(recorded[i])) {
                    recordedHours += recorded[i] * stepHours;
                    known++;
                    differs = Math.round(recorded[i]) != Math.round(replayed[i]);
                }
            }
            if (differs && start < 0) {
                start = i;
            } else if (!differs && start >= 0) {
                periods.add(period(grid, recorded, replayed, start, i - 1));
                start = -1;
            }
        }
        return new ReplayTotals(perLoop, applied, replayedHours, recordedHours,
                grid.size() == 0 ? 0 : (double) known / grid.size(), periods);
    }

    private static ReplayTotals.Disagreement period(Grid grid, double[] recorded, double[] replayed, int from, int to) {
        int vMin = Integer.MAX_VALUE;
        int vMax = Integer.MIN_VALUE;
        double rMin = Double.POSITIVE_INFINITY;
        double rMax = Double.NEGATIVE_INFINITY;
        int above = 0;
        for (int i = from; i <= to; i++) {
            vMin = Math.min(vMin, (int) replayed[i]);
            vMax = Math.max(vMax, (int) replayed[i]);
            rMin = Math.min(rMin, recorded[i]);
            rMax = Math.max(rMax, recorded[i]);
            above += replayed[i] > recorded[i] ? 1 : -1;
        }
        String direction = above >= 0
                ? "the policy would have run more receivers than the cluster did"
                : "the policy would have run fewer receivers than the cluster did";
        return new ReplayTotals.Disagreement(grid.instant(from), grid.instant(to), vMin, vMax, rMin, rMax, direction);
    }
}
