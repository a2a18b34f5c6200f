package io.rwautoscaler.core.shards;

import java.time.Duration;
import java.util.Objects;

/**
 * The shard tuner's knobs, grouped by concern. {@link #defaults()} is the documented starting point; each default
 * names where it comes from (runbook, issue 4, upstream Prometheus) or why it was chosen.
 */
public record ShardPolicy(Triggers triggers, Sizing sizing, Pacing pacing, ReceiverLimits receiverLimits) {

    public ShardPolicy {
        Objects.requireNonNull(triggers, "triggers");
        Objects.requireNonNull(sizing, "sizing");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(receiverLimits, "receiverLimits");
    }

    public static ShardPolicy defaults() {
        return new ShardPolicy(Triggers.DEFAULTS, Sizing.DEFAULTS, Pacing.DEFAULTS, ReceiverLimits.DEFAULTS);
    }

    public ShardPolicy withTriggers(Triggers value) {
        return new ShardPolicy(value, sizing, pacing, receiverLimits);
    }

    public ShardPolicy withSizing(Sizing value) {
        return new ShardPolicy(triggers, value, pacing, receiverLimits);
    }

    public ShardPolicy withPacing(Pacing value) {
        return new ShardPolicy(triggers, sizing, value, receiverLimits);
    }

    public ShardPolicy withReceiverLimits(ReceiverLimits value) {
        return new ShardPolicy(triggers, sizing, pacing, value);
    }

    /**
     * When a rule fires.
     *
     * @param queueThresholdSamples pending samples that count as "queue high" (runbook: 5000); the observer uses it
     *                              to compute {@link QueueObservation#queueAboveThresholdFor()}, reasons quote it
     * @param raiseWindow           how long the queue must stay high, or shards stay at max with desired above, before
     *                              raising (runbook: 15 min)
     * @param scaleInWindow         how long the queue must sit at 0 before lowering (runbook: 30 min)
     */
    public record Triggers(long queueThresholdSamples, Duration raiseWindow, Duration scaleInWindow) {
        public static final Triggers DEFAULTS = new Triggers(5_000, Duration.ofMinutes(15), Duration.ofMinutes(30));

        public Triggers {
            requireAtLeast(queueThresholdSamples, 0, "queueThresholdSamples");
            requirePositive(raiseWindow, "raiseWindow");
            requirePositive(scaleInWindow, "scaleInWindow");
        }
    }

    /**
     * How far and within which bounds a change goes.
     *
     * @param headroom                 maxShards target = sizing basis × headroom (issue 4: ×2), so Prometheus can
     *                                 double its shards for a burst without waiting a raise window for us
     * @param minShardsFloor           never recommend fewer minShards (1, the Prometheus default)
     * @param maxShardsFloor           never lower maxShards below this (10, the runbook's minShards): keeps room for
     *                                 Prometheus to reshard on a burst by itself, every 10 s, instead of after 15 min
     * @param maxShardsCeiling         never raise maxShards above this (1000): each shard is one more connection to the
     *                                 receivers and up to {@code capacity} samples of agent memory; a runaway p99
     *                                 must not turn into unbounded load
     * @param maxStepUp                at most ×2 per change, so a wrong figure costs one cooldown, not a blow-up
     * @param maxStepDown              at most ÷2 per change
     * @param hysteresis               skip a change within this fraction of the current value (0.2): every change
     *                                 restarts the queue, small ones are not worth that
     * @param capacityMinBatches       capacity ≥ 3 × maxSamplesPerSend (issue 4): fewer buffered batches stall the
     *                                 WAL reader while a batch is in flight
     * @param capacityMaxBatches       capacity ≤ 10 × maxSamplesPerSend (issue 4; the runbook's 20000/2000):
     *                                 more only grows memory and what a restart can drop
     * @param maxSamplesPerSendCeiling never raise maxSamplesPerSend above this (10000, 5× upstream): bigger
     *                                 requests hit receivers' request-size limits and lengthen each retry
     * @param fullBatchFraction        batches count as full when samples out per shard per second × send latency ≥
     *                                 this fraction of maxSamplesPerSend (0.9); see {@link ShardTuner}
     */
    public record Sizing(double headroom, int minShardsFloor, int maxShardsFloor, int maxShardsCeiling,
                         double maxStepUp, double maxStepDown, double hysteresis,
                         int capacityMinBatches, int capacityMaxBatches,
                         int maxSamplesPerSendCeiling, double fullBatchFraction) {
        public static final Sizing DEFAULTS = new Sizing(2.0, 1, 10, 1_000, 2.0, 2.0, 0.2, 3, 10, 10_000, 0.9);

        public Sizing {
            if (!(headroom >= 1.0)) {
                throw new InvalidField("headroom", "headroom must be at least 1, got " + headroom);
            }
            requireAtLeast(minShardsFloor, 1, "minShardsFloor");
            requireAtLeast(maxShardsFloor, minShardsFloor, "maxShardsFloor");
            requireAtLeast(maxShardsCeiling, maxShardsFloor, "maxShardsCeiling");
            if (!(maxStepUp > 1.0) || !(maxStepDown > 1.0)) {
                throw new InvalidField("maxStepUp", "maxStepUp and maxStepDown must be above 1");
            }
            if (!(hysteresis >= 0.0 && hysteresis < 1.0)) {
                throw new InvalidField("hysteresis", "hysteresis must be in [0, 1), got " + hysteresis);
            }
            requireAtLeast(capacityMinBatches, 1, "capacityMinBatches");
            requireAtLeast(capacityMaxBatches, capacityMinBatches, "capacityMaxBatches");
            requireAtLeast(maxSamplesPerSendCeiling, 1, "maxSamplesPerSendCeiling");
            if (!(fullBatchFraction > 0.0 && fullBatchFraction <= 1.0)) {
                throw new InvalidField("fullBatchFraction", "fullBatchFraction must be in (0, 1], got " + fullBatchFraction);
            }
        }
    }

    /**
     * How often changes may happen, and when one may be applied.
     *
     * @param cooldown       no new change for a queue this long after our last one (issue 4: 30 min): the windows
     *                       must fill with figures from the new config first
     * @param rolloutGrace   after a change, seeing the old config is "not rolled out yet" for this long (5 min:
     *                       operator reconcile plus config-reloader); after it, it is a revert
     * @param changesPerHour cluster-wide budget (10/h): a wrong rule then touches at most 10 queues an hour
     * @param maxLagToApply  apply only while the queue's lag is below this (issue 4: 60 s, the same as Prometheus's
     *                       default {@code --storage.remote.flush-deadline} of 1 min), so the restart's flush
     *                       can finish and nothing in flight is dropped
     */
    public record Pacing(Duration cooldown, Duration rolloutGrace, int changesPerHour, Duration maxLagToApply) {
        public static final Pacing DEFAULTS = new Pacing(Duration.ofMinutes(30), Duration.ofMinutes(5), 10,
                Duration.ofSeconds(60));

        public Pacing {
            requireNotNegative(cooldown, "cooldown");
            requireNotNegative(rolloutGrace, "rolloutGrace");
            requireAtLeast(changesPerHour, 0, "changesPerHour");
            requirePositive(maxLagToApply, "maxLagToApply");
        }
    }

    /**
     * When the receivers, not the shard count, limit the queue. Any one signal above its limit is enough.
     *
     * @param max5xxPerSecond      receiver 5xx answers (0.1/s: one every 10 s, above a rare blip)
     * @param max429PerSecond      receiver 429 answers (0.1/s)
     * @param maxP99LatencySeconds receiver-side p99 (runbook: 2 s)
     * @param maxCpuUtilization    receiver CPU (runbook: 80%)
     * @param maxRetriedFraction   agent-side: samples retried / samples sent (1%); the only signal when receivers
     *                             export no metrics, since recoverable errors are exactly 5xx and 429
     */
    public record ReceiverLimits(double max5xxPerSecond, double max429PerSecond, double maxP99LatencySeconds,
                                 double maxCpuUtilization, double maxRetriedFraction) {
        public static final ReceiverLimits DEFAULTS = new ReceiverLimits(0.1, 0.1, 2.0, 0.8, 0.01);

        public ReceiverLimits {
            for (double limit : new double[] {max5xxPerSecond, max429PerSecond, maxP99LatencySeconds,
                    maxCpuUtilization, maxRetriedFraction}) {
                if (!(limit >= 0.0) || !Double.isFinite(limit)) {
                    throw new InvalidField("receiverLimits", "receiver limits must be finite and not negative");
                }
            }
        }
    }

    /**
     * A knob out of range, naming the knob: {@code field} is the record component (e.g. {@code raiseWindow}), so
     * the configuration side maps it to its key without reading the message.
     */
    public static final class InvalidField extends IllegalArgumentException {
        private final String field;

        public InvalidField(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    private static void requireAtLeast(long value, long min, String name) {
        if (value < min) {
            throw new InvalidField(name, name + " must be at least " + min + ", got " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null) {
            throw new InvalidField(name, name + " must be set");
        }
        if (value.isZero() || value.isNegative()) {
            throw new InvalidField(name, name + " must be positive, got " + value);
        }
    }

    private static void requireNotNegative(Duration value, String name) {
        if (value == null) {
            throw new InvalidField(name, name + " must be set");
        }
        if (value.isNegative()) {
            throw new InvalidField(name, name + " must not be negative, got " + value);
        }
    }
}
