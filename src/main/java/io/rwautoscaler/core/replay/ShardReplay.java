package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueId;
import io.rwautoscaler.core.shards.QueueInput;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ReceiverHealth;
import io.rwautoscaler.core.shards.ShardCycle;
import io.rwautoscaler.core.shards.ShardCycleResult;
import io.rwautoscaler.core.shards.ShardDecision;
import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.core.shards.ShardState;
import io.rwautoscaler.core.shards.TunerState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The shard tuner replayed step by step with the live decision code ({@link ShardCycle}: per-queue decisions,
 * then the cluster budget most urgent first). Each queue runs the config the replay gave it: it starts from the
 * config its gauges report, follows the changes apply mode would have made, and takes over a config someone else
 * set later (as live takes a replaced config as the new baseline). The "held for" durations are live's: since the
 * first step that held after the last break (a gap neither holds nor breaks; without a value now there is no
 * figure at all), compared with the window by the tuner itself; the 7-day p99 of shards_desired is computed from the
 * data before each step.
 */
final class ShardReplay {

    /** Decisions apply mode would only have recommended: a change held back by a gate, or a raise refused. */
    private static final List<ShardState> REPORTED = List.of(ShardState.WAITING_FOR_DRAIN,
            ShardState.BUDGET_EXHAUSTED, ShardState.RECEIVERS_BOTTLENECK);

    private final ShardPolicy policy;
    private final ShardHistory history;
    private final Duration step;
    private final int n;
    private final QueueId[] ids;
    private final QueueConfig[] config;
    private final QueueConfig[] lastRecorded;
    private final int[] aboveRun;
    private final int[] zeroRun;
    private final int[] atMaxRun;
    private final SlidingQuantile[] desired;
    private final ShardState[] lastState;
    private final int historyPoints;
    private final int minPoints;
    private TunerState state = TunerState.empty();
    int appliedLastStep;
    /** Queue-steps that lacked a figure the tuner needed (not decisions: counted for the notes), and one example. */
    long insufficient;
    String insufficientExample;
    double pendingTotal = Double.NaN;

    ShardReplay(ReplaySettings settings, ShardHistory history, ReplayWindow window) {
        this.policy = settings.shardPolicy();
        this.history = history;
        this.step = window.step();
        this.n = history.queues().size();
        this.ids = new QueueId[n];
        this.config = new QueueConfig[n];
        this.lastRecorded = new QueueConfig[n];
        this.aboveRun = new int[n];
        this.zeroRun = new int[n];
        this.atMaxRun = new int[n];
        this.desired = new SlidingQuantile[n];
        this.lastState = new ShardState[n];
        this.historyPoints = (int) Math.min(history.historySteps(), settings.historyWindow().toMillis() / step.toMillis());
        this.minPoints = (int) Math.max(1, settings.minHistory().toMillis() / step.toMillis());
        for (int q = 0; q < n; q++) {
            QueueSeries s = history.queues().get(q).series();
            // Local mode's identity: the pod is the agent.
            ids[q] = QueueId.of(s.namespace(), s.pod(), s.remoteName(), s.url());
            desired[q] = new SlidingQuantile(historyPoints + 1);
            float[] h = history.queues().get(q).desiredHistory();
            for (int k = history.historySteps() - historyPoints; k < history.historySteps() && k < h.length; k++) {
                desired[q].add(h[k]);
            }
        }
    }

    int queues() {
        return n;
    }

    /** Decides at step {@code i}; {@code factor} is recorded ÷ replayed receivers, for the receivers' CPU. */
    void step(int i, Instant at, double factor, List<ReplayDecision> out) {
        appliedLastStep = 0;
        if (n == 0) {
            pendingTotal = Double.NaN;
            return;
        }
        ReceiverHealth health = new ReceiverHealth(opt(history.errors5xx()[i]), opt(history.throttled429()[i]),
                opt(history.p99Latency()[i]), opt(history.cpuUtilization()[i] * factor));
        List<QueueInput> inputs = new ArrayList<>(n);
        ShardPolicy.Triggers t = policy.triggers();
        double total = 0;
        boolean anyPending = false;
        for (int q = 0; q < n; q++) {
            QueueHistory h = history.queues().get(q);
            QueueConfig recorded = new QueueConfig(intOf(h.value(QueueSignal.MIN_SHARDS, i)),
                    intOf(h.value(QueueSignal.MAX_SHARDS, i)), intOf(h.value(QueueSignal.CAPACITY, i)),
                    intOf(h.value(QueueSignal.MAX_SAMPLES_PER_SEND, i)));
            if (lastRecorded[q] == null || !recorded.sameEffective(lastRecorded[q])) {
                config[q] = recorded;
                lastRecorded[q] = recorded;
            }
            double pending = h.value(QueueSignal.PENDING, i);
            double desiredNow = h.value(QueueSignal.SHARDS_DESIRED, i);
            if (Double.isFinite(pending)) {
                total += pending;
                anyPending = true;
            }
            aboveRun[q] = run(aboveRun[q], pending, pending > t.queueThresholdSamples());
            zeroRun[q] = run(zeroRun[q], pending, pending == 0);
            atMaxRun[q] = run(atMaxRun[q], desiredNow, desiredNow > config[q].effectiveMaxShards());

            int hi = history.historySteps() + i;
            float[] dh = h.desiredHistory();
            if (i > 0 && hi < dh.length) {
                desired[q].add(dh[hi]);
                int gone = hi - historyPoints - 1;
                if (gone >= 0) {
                    desired[q].remove(dh[gone]);
                }
            } else if (i == 0 && hi < dh.length) {
                desired[q].add(dh[hi]);
            }
            OptionalDouble p99 = desired[q].size() >= minPoints ? desired[q].quantile(0.99) : OptionalDouble.empty();

            QueueObservation observation = new QueueObservation(opt(pending), opt(h.value(QueueSignal.LAG, i)),
                    opt(h.value(QueueSignal.SHARDS, i)), opt(desiredNow), OptionalInt.empty(), OptionalInt.empty(),
                    opt(h.value(QueueSignal.SAMPLES_IN, i)), opt(h.value(QueueSignal.SAMPLES_OUT, i)),
                    opt(h.value(QueueSignal.FAILED, i)), opt(h.value(QueueSignal.RETRIED, i)),
                    opt(h.value(QueueSignal.SEND_LATENCY, i)), held(aboveRun[q], pending), held(zeroRun[q], pending),
                    held(atMaxRun[q], desiredNow), p99);
            inputs.add(new QueueInput(ids[q], config[q], observation, health));
        }
        pendingTotal = anyPending ? total : Double.NaN;

        ShardCycleResult result = ShardCycle.run(inputs, state, policy, at);
        state = result.nextState();
        List<ShardDecision> decisions = result.decisions();
        for (int q = 0; q < n; q++) {
            ShardDecision d = decisions.get(q);
            ShardState s = d.state();
            if (s.applies()) {
                out.add(decision(at, d, inputs.get(q), ReplayOutcome.APPLIED, "apply mode, as the leader, would have"
                        + " patched the queueConfig (" + d.safety() + ", within the budget); the replayed queue runs it"));
                config[q] = d.recommended();
                appliedLastStep++;
            } else if (REPORTED.contains(s) && lastState[q] != s) {
                out.add(decision(at, d, inputs.get(q), outcome(s), why(s)));
            } else if (s == ShardState.INSUFFICIENT_DATA) {
                insufficient++;
                if (insufficientExample == null) {
                    insufficientExample = at + " " + d.queue() + ": " + d.reason();
                }
            }
            lastState[q] = s;
        }
    }

    private ReplayDecision decision(Instant at, ShardDecision d, QueueInput in, ReplayOutcome outcome, String why) {
        String change = d.current().changesTo(d.recommended());
        Map<String, Double> f = new LinkedHashMap<>();
        QueueObservation o = in.observation();
        o.pendingSamples().ifPresent(v -> f.put("pending_samples", v));
        o.lagSeconds().ifPresent(v -> f.put("lag_seconds", v));
        o.shardsDesired().ifPresent(v -> f.put("shards_desired", v));
        o.shardsDesiredP99Over7d().ifPresent(v -> f.put("shards_desired_p99", v));
        o.queueAboveThresholdFor().ifPresent(v -> f.put("queue_above_threshold_for_seconds", (double) v.toSeconds()));
        in.receivers().cpuUtilization().ifPresent(v -> f.put("receiver_cpu_utilization", v));
        return new ReplayDecision(at, ReplayDecision.SHARDS, d.queue().toString() + " " + d.queue().url(),
                d.state().wireName(), change.isEmpty() ? "no change" : change, List.of(), f, d.reason(), outcome, why);
    }

    private static String why(ShardState s) {
        return switch (s) {
            case WAITING_FOR_DRAIN -> "only recommended: the queue's lag was above the limit or unknown, so restarting"
                    + " it could have dropped samples";
            case BUDGET_EXHAUSTED -> "only recommended: the cluster's changes per hour were used up";
            default -> "not raised: the receivers were the bottleneck, more shards would have added load; scale the"
                    + " receivers";
        };
    }

    private static ReplayOutcome outcome(ShardState s) {
        return switch (s) {
            case WAITING_FOR_DRAIN -> ReplayOutcome.WAITING_FOR_DRAIN;
            case BUDGET_EXHAUSTED -> ReplayOutcome.BUDGET_EXHAUSTED;
            case RECEIVERS_BOTTLENECK -> ReplayOutcome.RECEIVERS_BOTTLENECK;
            default -> ReplayOutcome.RECEIVERS_BOTTLENECK;
        };
    }

    /**
     * Steps since the first step that held after the last break, this one included (live's "held for": since the
     * later of the last break and the first sample, QueueQueries.heldFor). A missing value neither holds nor breaks:
     * time runs on through a gap, as the live subquery skips missing points; a known value that does not hold ends it.
     */
    private static int run(int previous, double value, boolean holds) {
        if (Double.isNaN(value)) {
            return previous > 0 ? previous + 1 : 0;
        }
        return holds ? previous + 1 : 0;
    }

    /** How long it held up to now: the span of the run; empty without data now, zero when it does not hold. */
    private Optional<Duration> held(int run, double value) {
        if (Double.isNaN(value)) {
            return Optional.empty();
        }
        return Optional.of(run <= 1 ? Duration.ZERO : step.multipliedBy(run - 1L));
    }

    private static OptionalDouble opt(double v) {
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    private static OptionalInt intOf(double v) {
        if (!Double.isFinite(v) || v < 1) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.round(v)));
    }
}
