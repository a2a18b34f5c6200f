package io.rwautoscaler.core.shards;

import static io.rwautoscaler.core.model.Figures.duration;
import static io.rwautoscaler.core.model.Figures.num;
import static io.rwautoscaler.core.model.Figures.seconds;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides one queue's bounds. Prometheus picks the number of shards itself, every 10 s, between minShards and
 * maxShards; this class only moves those bounds (and the batch size), and only when a restart of the queue is
 * worth it and safe.
 *
 * <p>The rules, in the order they are tried; the first that answers wins:
 * <ol>
 *   <li><b>endpoint failing</b>: retried plus failed samples are at least {@link #ENDPOINT_FAILING_SHARE} of the
 *       samples tried (Prometheus counts every attempt in {@code samples_total}), or samples are retried with none
 *       tried → {@link ShardState#ENDPOINT_FAILING}, no recommendation and never safe to apply: a queue that
 *       cannot send does not drain, and its figures say nothing about the shards it needs.</li>
 *   <li><b>reverted</b>: the config is back at what it was before our last change (after the rollout grace) →
 *       {@link ShardState#REVERTED}, no recommendation; we do not fight GitOps/Helm.</li>
 *   <li><b>settling</b>: our last change is not visible yet, is younger than the cooldown, or the agent still runs
 *       other bounds than its config says → {@link ShardState#COOLDOWN}.</li>
 *   <li><b>raise</b>: shards sat at maxShards with shards_desired above it for the raise window, or the queue stayed
 *       above the threshold for the raise window. Refused with {@link ShardState#RECEIVERS_BOTTLENECK} when any
 *       receiver signal is over its limit (more shards add load to a struggling receiver), and with
 *       {@link ShardState#INSUFFICIENT_DATA} without a 7-day p99 of shards_desired. Otherwise maxShards =
 *       ⌈max(7-day p99 of desired, desired now) × headroom⌉, at most ×maxStepUp and the ceiling. The current
 *       desired counts because a fresh surge is only 0.15% of a week after 15 min: the p99 alone would miss
 *       "traffic doubled" for hours.</li>
 *   <li><b>batch size</b> (with a raise on "shards at max"): when each shard is busy sending full batches back to
 *       back, i.e. samples out per shard per second × mean send latency ≥ fullBatchFraction × maxSamplesPerSend,
 *       per-shard throughput is the limit: maxSamplesPerSend goes up (×maxStepUp, to its ceiling) and capacity
 *       with it, keeping the batches per shard. Partial batches (sent at the 5 s batchSendDeadline) give a low
 *       fraction; bigger batches would change nothing for them.</li>
 *   <li><b>lower</b>: the queue sat at 0 for the scale-in window; same refusals; maxShards =
 *       ⌈basis × headroom⌉ when that is lower, minShards down to ⌈basis⌉ when it is above it; at most ÷maxStepDown,
 *       never below the floors (nor below a bound someone set lower than a floor).</li>
 *   <li><b>capacity range</b>: capacity is kept within [capacityMinBatches, capacityMaxBatches] ×
 *       maxSamplesPerSend, as part of any change or on its own.</li>
 *   <li><b>hysteresis</b>: a bound moving by no more than the hysteresis fraction stays put.</li>
 *   <li><b>gates</b> for a remaining change: lag known and below maxLagToApply, else
 *       {@link ShardState#WAITING_FOR_DRAIN}; cluster budget left, else {@link ShardState#BUDGET_EXHAUSTED};
 *       else {@link ShardState#RAISE} or {@link ShardState#LOWER}.</li>
 * </ol>
 * Non-recoverable send failures (4xx) are not a capacity signal and play no part; a slow receiver alone is not a
 * bottleneck either, since hiding latency behind parallel sends is what shards are for.
 */
public final class ShardTuner {

    // Guards ceil() against 140 × 2.0000001-style noise turning 280 into 281.
    private static final double EPSILON = 1e-9;
    private static final String SAFE_TO_APPLY = "; safe to apply: ";
    /** Share of tried samples retried or dropped from which the endpoint counts as failing (one definition). */
    public static final double ENDPOINT_FAILING_SHARE = io.rwautoscaler.core.model.EndpointFailure.SHARE;

    private ShardTuner() {
    }

    public static ShardDecision decide(QueueId queue, QueueConfig current, QueueObservation observation,
                                       ReceiverHealth receivers, TunerState state, ShardPolicy policy, Instant now) {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(receivers, "receivers");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");

        Safety safety = safety(observation, policy.pacing());
        Optional<String> failing = endpointFailing(observation);
        if (failing.isPresent()) {
            return new ShardDecision(queue, ShardState.ENDPOINT_FAILING, current, current, failing.get(), false,
                    safety.text);
        }
        Optional<Proposal> settling = settling(queue, current, observation, state, policy.pacing(), now);
        if (settling.isPresent()) {
            return new ShardDecision(queue, settling.get().refusal, current, current, settling.get().reason,
                    safety.safe, safety.text);
        }

        Proposal proposal = raise(current, observation, receivers, policy);
        if (proposal == null) {
            proposal = lower(current, observation, receivers, policy);
        }
        if (proposal == null) {
            proposal = noTrigger(current, observation, policy);
        }
        if (proposal.refusal != null) {
            return new ShardDecision(queue, proposal.refusal, current, current, proposal.reason, safety.safe,
                    safety.text);
        }

        StringBuilder reason = new StringBuilder(proposal.reason);
        QueueConfig next = capacityInRange(proposal.config, policy.sizing(), reason);
        if (next.sameEffective(current)) {
            return new ShardDecision(queue, proposal.ifUnchanged, current, current, reason.toString(), safety.safe,
                    safety.text);
        }
        if (!safety.safe) {
            reason.append("; waiting for drain: ").append(safety.text);
            return new ShardDecision(queue, ShardState.WAITING_FOR_DRAIN, current, next, reason.toString(), false,
                    safety.text);
        }
        int used = state.changesInLastHour(now);
        int budget = policy.pacing().changesPerHour();
        if (used >= budget) {
            reason.append("; ").append(budgetText(budget, used));
            return new ShardDecision(queue, ShardState.BUDGET_EXHAUSTED, current, next, reason.toString(), true,
                    safety.text);
        }
        reason.append(SAFE_TO_APPLY).append(safety.text);
        return new ShardDecision(queue, direction(current, next), current, next, reason.toString(), true,
                safety.text);
    }

    /** The same decision, refused because more urgent queues took the rest of this hour's budget. */
    static ShardDecision overBudget(ShardDecision decision, int budget, int used) {
        String reason = decision.reason();
        String safeSuffix = SAFE_TO_APPLY + decision.safety();
        if (reason.endsWith(safeSuffix)) {
            reason = reason.substring(0, reason.length() - safeSuffix.length());
        }
        reason = reason + "; " + budgetText(budget, used) + ", by more urgent queues";
        return new ShardDecision(decision.queue(), ShardState.BUDGET_EXHAUSTED, decision.current(),
                decision.recommended(), reason, decision.safeToApply(), decision.safety());
    }

    /** What to remember of our last change after seeing {@code observed}; empty when it no longer matters. */
    static Optional<AppliedChange> remembered(AppliedChange change, QueueConfig observed, Instant now,
                                              ShardPolicy policy) {
        return switch (change.standing(observed, now, policy.pacing().rolloutGrace())) {
            case HOLDING -> Optional.of(change.withReverted(false));
            case ROLLING_OUT -> Optional.of(change);
            case REVERTED -> Optional.of(change.withReverted(true));
            case REPLACED -> Optional.empty();
        };
    }

    /** Receiver-side reasons more load would hurt; empty when none is over its limit or none is known. */
    static List<String> bottleneckSignals(ReceiverHealth receivers, QueueObservation observation,
                                          ShardPolicy.ReceiverLimits limits) {
        List<String> signals = new ArrayList<>(2);
        above(receivers.errors5xxPerSecond(), limits.max5xxPerSecond()).ifPresent(v ->
                signals.add("receiver 5xx " + num(v) + "/s > " + num(limits.max5xxPerSecond()) + "/s"));
        above(receivers.throttled429PerSecond(), limits.max429PerSecond()).ifPresent(v ->
                signals.add("receiver 429 " + num(v) + "/s > " + num(limits.max429PerSecond()) + "/s"));
        above(receivers.p99LatencySeconds(), limits.maxP99LatencySeconds()).ifPresent(v ->
                signals.add("receiver p99 latency " + seconds(v) + " > " + seconds(limits.maxP99LatencySeconds())));
        above(receivers.cpuUtilization(), limits.maxCpuUtilization()).ifPresent(v ->
                signals.add("receiver CPU " + percent(v) + " > " + percent(limits.maxCpuUtilization())));
        if (observation.retriedRate().isPresent() && observation.retriedRate().getAsDouble() > 0) {
            double retried = observation.retriedRate().getAsDouble();
            double out = observation.samplesOutRate().orElse(0);
            if (out <= 0) {
                signals.add("agent retrying " + num(retried) + " samples/s with none sent");
            } else if (retried / out > limits.maxRetriedFraction()) {
                signals.add("agent retried " + percent(retried / out) + " of samples sent > "
                        + percent(limits.maxRetriedFraction()) + " (receivers answer 5xx/429)");
            }
        }
        return signals;
    }

    /**
     * Why the queue's endpoint counts as failing, with the failure share and the error class; empty when it does
     * not, or when the send figures are unknown (then other rules, and their missing-data refusals, answer).
     */
    public static Optional<String> endpointFailing(QueueObservation observation) {
        double retried = observation.retriedRate().orElse(0);
        double failed = observation.failedRate().orElse(0);
        double bad = retried + failed;
        if (observation.retriedRate().isEmpty() && observation.failedRate().isEmpty() || bad <= 0) {
            return Optional.empty();
        }
        String errorClass = failed > retried
                ? "non-recoverable errors (HTTP 4xx: samples dropped)"
                : "recoverable errors (HTTP 5xx, 429, or connection refused/timed out: samples retried)";
        String pending = observation.pendingSamples().isPresent()
                ? ", " + num(observation.pendingSamples().getAsDouble()) + " samples pending" : "";
        double tried = observation.samplesOutRate().orElse(0);
        if (tried <= 0) {
            return Optional.of("endpoint failing: " + num(bad) + " samples/s retried or dropped and none sent; last"
                    + " errors " + errorClass + pending + "; no shard change helps: check the remote-write URL, the"
                    + " receivers and the network");
        }
        double share = bad / tried;
        if (share < ENDPOINT_FAILING_SHARE) {
            return Optional.empty();
        }
        return Optional.of("endpoint failing: " + percent(Math.min(1.0, share)) + " of samples tried were retried or"
                + " dropped (" + num(bad) + " of " + num(tried) + " samples/s); last errors " + errorClass + pending
                + "; no shard change helps: check the remote-write URL, the receivers and the network");
    }

    // ---- rule 1 and 2: our own last change, and whether the agent runs its config yet

    private static Optional<Proposal> settling(QueueId queue, QueueConfig current, QueueObservation observation,
                                             TunerState state, ShardPolicy.Pacing pacing, Instant now) {
        Optional<AppliedChange> last = state.lastChange(queue);
        if (last.isPresent()) {
            AppliedChange change = last.get();
            String what = "our change at " + change.at() + " (" + change.before().changesTo(change.after()) + ")";
            Duration age = Duration.between(change.at(), now);
            switch (change.standing(current, now, pacing.rolloutGrace())) {
                case REVERTED:
                    return Optional.of(Proposal.refused(ShardState.REVERTED, what + " was undone, the config is"
                            + " back to " + change.before() + "; not fighting it (GitOps/Helm?) until the config"
                            + " changes otherwise or an operator clears the record"));
                case ROLLING_OUT:
                    return Optional.of(Proposal.refused(ShardState.COOLDOWN, what + " is not visible yet after "
                            + duration(age) + " (rollout grace " + duration(pacing.rolloutGrace()) + ")"));
                case HOLDING:
                    if (age.compareTo(pacing.cooldown()) < 0) {
                        return Optional.of(Proposal.refused(ShardState.COOLDOWN, "cooldown: " + what + " was "
                                + duration(age) + " ago; next change in " + duration(pacing.cooldown().minus(age))
                                + " (cooldown " + duration(pacing.cooldown()) + ")"));
                    }
                    break;
                case REPLACED:
                    break;
            }
        }
        boolean minDiffers = observation.runningMinShards().isPresent()
                && observation.runningMinShards().getAsInt() != current.effectiveMinShards();
        boolean maxDiffers = observation.runningMaxShards().isPresent()
                && observation.runningMaxShards().getAsInt() != current.effectiveMaxShards();
        if (minDiffers || maxDiffers) {
            // The figures describe bounds that are about to go away; deciding on them would be deciding twice.
            return Optional.of(Proposal.refused(ShardState.COOLDOWN, "the agent still runs minShards "
                    + observation.runningMinShards().orElse(current.effectiveMinShards()) + ", maxShards "
                    + observation.runningMaxShards().orElse(current.effectiveMaxShards())
                    + " while its config says minShards " + current.effectiveMinShards() + ", maxShards "
                    + current.effectiveMaxShards() + ": waiting for it to load the config"));
        }
        return Optional.empty();
    }

    // ---- rule 3 and 4: raise

    private static Proposal raise(QueueConfig current, QueueObservation obs, ReceiverHealth receivers,
                                  ShardPolicy policy) {
        ShardPolicy.Triggers triggers = policy.triggers();
        ShardPolicy.Sizing sizing = policy.sizing();
        int curMax = current.effectiveMaxShards();
        List<String> fired = new ArrayList<>(2);
        boolean atMax = held(obs.shardsAtMaxWithDesiredAboveFor(), triggers.raiseWindow());
        if (atMax) {
            fired.add("shards at max " + curMax + " for " + duration(obs.shardsAtMaxWithDesiredAboveFor().get())
                    + (obs.shardsDesired().isPresent()
                    ? " with desired " + num(obs.shardsDesired().getAsDouble()) + " > max" : " with desired above it"));
        }
        if (held(obs.queueAboveThresholdFor(), triggers.raiseWindow())) {
            fired.add("queue above " + triggers.queueThresholdSamples() + " samples for "
                    + duration(obs.queueAboveThresholdFor().get()));
        }
        if (fired.isEmpty()) {
            return null;
        }
        String trigger = String.join(" and ", fired);
        Proposal refused = refusal(trigger, obs, receivers, policy, "the receivers are the bottleneck",
                "more shards would add load to struggling receivers", "maxShards");
        if (refused != null) {
            return refused;
        }

        StringBuilder reason = new StringBuilder(trigger).append("; ");
        long sized = ceil(basis(obs, reason) * sizing.headroom());
        reason.append(" × ").append(num(sizing.headroom())).append(" = ").append(sized);
        QueueConfig next = current;
        long target = sized;
        String limit = null;
        long stepCap = ceil(curMax * sizing.maxStepUp());
        if (target > stepCap) {
            target = stepCap;
            limit = "step limited to ×" + num(sizing.maxStepUp());
        }
        if (target > sizing.maxShardsCeiling()) {
            target = sizing.maxShardsCeiling();
            limit = "ceiling " + sizing.maxShardsCeiling();
        }
        if (target <= curMax) {
            reason.append(sized > curMax
                    ? " → maxShards " + curMax + " stays: at the ceiling " + sizing.maxShardsCeiling()
                    : " → maxShards " + curMax + " already covers it");
        } else if (target <= curMax * (1.0 + sizing.hysteresis())) {
            reason.append(" → maxShards ").append(target).append(" is within ").append(percent(sizing.hysteresis()))
                    .append(" of ").append(curMax).append(": no change");
        } else {
            next = next.withMaxShards((int) target);
            reason.append(" → maxShards ").append(target).append(limit == null ? "" : " (" + limit + ")");
        }
        if (atMax) {
            next = biggerBatches(next, current, obs, sizing, reason);
        }
        return new Proposal(next, reason.toString(), ShardState.OK, null);
    }

    private static QueueConfig biggerBatches(QueueConfig next, QueueConfig current, QueueObservation obs,
                                             ShardPolicy.Sizing sizing, StringBuilder reason) {
        OptionalDouble out = obs.samplesOutRate();
        OptionalDouble shards = obs.shards();
        OptionalDouble latency = obs.sendLatencySeconds();
        if (out.isEmpty() || shards.isEmpty() || latency.isEmpty() || shards.getAsDouble() <= 0) {
            return next;
        }
        int msps = current.effectiveMaxSamplesPerSend();
        double perShard = out.getAsDouble() / shards.getAsDouble();
        double fill = perShard * latency.getAsDouble() / msps;
        if (fill < sizing.fullBatchFraction()) {
            return next;
        }
        reason.append("; batches full (").append(num(perShard)).append(" samples/s per shard × ")
                .append(seconds(latency.getAsDouble())).append(" send latency = ").append(percent(fill))
                .append(" of maxSamplesPerSend ").append(msps).append(")");
        long nextMsps = Math.min(ceil(msps * sizing.maxStepUp()), sizing.maxSamplesPerSendCeiling());
        if (nextMsps <= msps) {
            reason.append(", but maxSamplesPerSend is at its ceiling ").append(sizing.maxSamplesPerSendCeiling());
            return next;
        }
        int cap = current.effectiveCapacity();
        double batches = Math.max(sizing.capacityMinBatches(),
                Math.min(sizing.capacityMaxBatches(), (double) cap / msps));
        int nextCap = (int) Math.min(Integer.MAX_VALUE, Math.round(nextMsps * batches));
        reason.append(": maxSamplesPerSend ").append(msps).append(" → ").append(nextMsps)
                .append(", capacity ").append(cap).append(" → ").append(nextCap)
                .append(" (").append(num(batches)).append(" batches per shard)");
        return next.withMaxSamplesPerSend((int) nextMsps).withCapacity(nextCap);
    }

    // ---- rule 5: lower

    private static Proposal lower(QueueConfig current, QueueObservation obs, ReceiverHealth receivers,
                                  ShardPolicy policy) {
        ShardPolicy.Sizing sizing = policy.sizing();
        if (!held(obs.queueAtZeroFor(), policy.triggers().scaleInWindow())) {
            return null;
        }
        String trigger = "queue at 0 for " + duration(obs.queueAtZeroFor().get());
        Proposal refused = refusal(trigger, obs, receivers, policy, "the receivers are struggling",
                "not lowering bounds while samples are refused or slowed", "the bounds");
        if (refused != null) {
            return refused;
        }

        StringBuilder reason = new StringBuilder(trigger).append("; ");
        double basis = basis(obs, reason);
        long sized = ceil(basis * sizing.headroom());
        reason.append(" × ").append(num(sizing.headroom())).append(" = ").append(sized);
        QueueConfig next = current;
        int curMin = current.effectiveMinShards();
        int curMax = current.effectiveMaxShards();

        // minShards is where Prometheus starts after a restart; it needs no headroom, it reshards up in seconds.
        int nextMin = curMin;
        long minTarget = Math.max(Math.max(sizing.minShardsFloor(), ceil(basis)), ceil(curMin / sizing.maxStepDown()));
        if (minTarget < curMin && curMin - minTarget > curMin * sizing.hysteresis()) {
            nextMin = (int) minTarget;
            next = next.withMinShards(nextMin);
            reason.append("; minShards ").append(curMin).append(" → ").append(nextMin);
        }

        long floor = Math.max(sizing.maxShardsFloor(), nextMin);
        long target = sized;
        String limit = null;
        long stepFloor = ceil(curMax / sizing.maxStepDown());
        if (target < stepFloor) {
            target = stepFloor;
            limit = "step limited to ÷" + num(sizing.maxStepDown());
        }
        if (target < floor) {
            target = floor;
            limit = "floor " + floor;
        }
        if (target >= curMax) {
            reason.append(sized >= curMax
                    ? "; maxShards " + curMax + " stays: the p99 does not allow less"
                    : "; maxShards " + curMax + " stays: at the floor " + floor);
        } else if (curMax - target <= curMax * sizing.hysteresis()) {
            reason.append("; maxShards ").append(target).append(" is within ").append(percent(sizing.hysteresis()))
                    .append(" of ").append(curMax).append(": no change");
        } else {
            next = next.withMaxShards((int) target);
            reason.append("; maxShards ").append(curMax).append(" → ").append(target)
                    .append(limit == null ? "" : " (" + limit + ")");
        }
        return new Proposal(next, reason.toString(), ShardState.OK, null);
    }

    /** The two refusals a fired rule can meet before sizing: receivers over a limit, or no p99 to size from. */
    private static Proposal refusal(String trigger, QueueObservation obs, ReceiverHealth receivers,
                                    ShardPolicy policy, String receiversAre, String consequence, String sized) {
        List<String> signals = bottleneckSignals(receivers, obs, policy.receiverLimits());
        if (!signals.isEmpty()) {
            return Proposal.refused(ShardState.RECEIVERS_BOTTLENECK, trigger + ", but " + receiversAre + " ("
                    + String.join("; ", signals) + "): " + consequence + "; scale the receivers instead");
        }
        if (obs.shardsDesiredP99Over7d().isEmpty()) {
            return Proposal.refused(ShardState.INSUFFICIENT_DATA,
                    trigger + ", but there is no 7-day p99 of shards_desired to size " + sized + " from");
        }
        return null;
    }

    // ---- no rule fired

    private static Proposal noTrigger(QueueConfig current, QueueObservation obs, ShardPolicy policy) {
        ShardPolicy.Triggers triggers = policy.triggers();
        List<String> missing = new ArrayList<>(3);
        StringBuilder reason = new StringBuilder("no trigger: shards ")
                .append(obs.shards().isPresent() ? num(obs.shards().getAsDouble()) : "unknown");
        obs.shardsDesired().ifPresent(d -> reason.append(" (desired ").append(num(d)).append(')'));
        reason.append(" within ").append(current.effectiveMinShards()).append('–').append(current.effectiveMaxShards())
                .append("; queue above ").append(triggers.queueThresholdSamples()).append(" for ")
                .append(window(obs.queueAboveThresholdFor(), triggers.raiseWindow(), "queue above threshold", missing))
                .append(", at max with desired above for ")
                .append(window(obs.shardsAtMaxWithDesiredAboveFor(), triggers.raiseWindow(),
                        "shards at max with desired above", missing))
                .append(", at 0 for ")
                .append(window(obs.queueAtZeroFor(), triggers.scaleInWindow(), "queue at 0", missing));
        if (!missing.isEmpty()) {
            reason.append("; cannot tell: ").append(String.join(", ", missing)).append(" (metrics missing)");
        }
        return new Proposal(current, reason.toString(),
                missing.isEmpty() ? ShardState.OK : ShardState.INSUFFICIENT_DATA, null);
    }

    // ---- rule 6: capacity range

    private static QueueConfig capacityInRange(QueueConfig config, ShardPolicy.Sizing sizing, StringBuilder reason) {
        int msps = config.effectiveMaxSamplesPerSend();
        int cap = config.effectiveCapacity();
        long low = Math.min(Integer.MAX_VALUE, (long) msps * sizing.capacityMinBatches());
        long high = Math.min(Integer.MAX_VALUE, (long) msps * sizing.capacityMaxBatches());
        if (cap < low) {
            reason.append("; capacity ").append(cap).append(" < ").append(sizing.capacityMinBatches())
                    .append(" × maxSamplesPerSend ").append(msps).append(" → capacity ").append(low);
            return config.withCapacity((int) low);
        }
        if (cap > high) {
            reason.append("; capacity ").append(cap).append(" > ").append(sizing.capacityMaxBatches())
                    .append(" × maxSamplesPerSend ").append(msps).append(" → capacity ").append(high);
            return config.withCapacity((int) high);
        }
        return config;
    }

    // ---- helpers

    /** The shard count to plan for: the 7-day p99 of desired, or desired now when a surge is above it. */
    private static double basis(QueueObservation obs, StringBuilder reason) {
        double p99 = obs.shardsDesiredP99Over7d().getAsDouble();
        if (obs.shardsDesired().isPresent() && obs.shardsDesired().getAsDouble() > p99) {
            double now = obs.shardsDesired().getAsDouble();
            reason.append("desired now ").append(num(now)).append(" above its 7-day p99 ").append(num(p99))
                    .append(": ").append(num(now));
            return now;
        }
        reason.append("7-day p99 of desired ").append(num(p99));
        return p99;
    }

    // heldFor starts no earlier than the queue's first sample (QueueQueries), so a new agent's "0s" never proves a window.
    private static boolean held(Optional<Duration> heldFor, Duration window) {
        return heldFor.isPresent() && io.rwautoscaler.core.model.WindowCoverage.of(window, heldFor.get()).covered();
    }

    private static String window(Optional<Duration> heldFor, Duration window, String name, List<String> missing) {
        if (heldFor.isEmpty()) {
            missing.add(name);
            return "unknown";
        }
        return duration(heldFor.get()) + " (< " + duration(window) + ")";
    }

    private static Optional<Double> above(OptionalDouble value, double limit) {
        return value.isPresent() && value.getAsDouble() > limit ? Optional.of(value.getAsDouble()) : Optional.empty();
    }

    private static long ceil(double value) {
        return (long) Math.ceil(value - EPSILON);
    }

    /** Raise or lower, by the most telling field that moved. */
    private static ShardState direction(QueueConfig current, QueueConfig next) {
        int[] from = {current.effectiveMaxShards(), current.effectiveMaxSamplesPerSend(), current.effectiveMinShards(),
                current.effectiveCapacity()};
        int[] to = {next.effectiveMaxShards(), next.effectiveMaxSamplesPerSend(), next.effectiveMinShards(),
                next.effectiveCapacity()};
        for (int i = 0; i < from.length; i++) {
            if (from[i] != to[i]) {
                return to[i] > from[i] ? ShardState.RAISE : ShardState.LOWER;
            }
        }
        return ShardState.OK;
    }

    private static String budgetText(int budget, int used) {
        return "cluster budget of " + budget + " changes per hour is used up (" + used + " in the last hour)";
    }

    private static Safety safety(QueueObservation obs, ShardPolicy.Pacing pacing) {
        double limit = pacing.maxLagToApply().toMillis() / 1000.0;
        if (obs.lagSeconds().isEmpty()) {
            return new Safety(false, "lag unknown: cannot tell whether restarting the queue would drop samples"
                    + " in flight");
        }
        double lag = obs.lagSeconds().getAsDouble();
        if (lag >= limit) {
            return new Safety(false, "lag " + seconds(lag) + " ≥ " + seconds(limit)
                    + ": restarting the queue now could drop samples in flight");
        }
        return new Safety(true, "lag " + seconds(lag) + " < " + seconds(limit));
    }

    private record Safety(boolean safe, String text) {
    }

    /**
     * A rule's outcome before the capacity range and the gates: either a refusal with no change, or a config (maybe
     * the current one) and the state to report if it turns out to change nothing.
     */
    private record Proposal(QueueConfig config, String reason, ShardState ifUnchanged, ShardState refusal) {
        static Proposal refused(ShardState state, String reason) {
            return new Proposal(null, reason, null, state);
        }
    }

    /** The shard tuner's percentages keep two decimals ("85%", "41.67%"). */
    private static String percent(double fraction) {
        return io.rwautoscaler.core.model.Figures.percent(fraction, 2);
    }
}
