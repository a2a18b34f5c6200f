package io.rwautoscaler.core.shards;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;

/** The fixed facts the decision tables share: one queue, one instant, the runbook's config. */
final class TunerFixture {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final QueueId QUEUE = QueueId.of("monitoring", "prometheus-agent", "thanos",
            "http://thanos-receive-lb:19291/api/v1/receive");
    /** The runbook's queueConfig: maxSamplesPerSend left at the Prometheus default (2000). */
    static final QueueConfig RUNBOOK = QueueConfig.unset().withMinShards(10).withMaxShards(100).withCapacity(20_000);
    static final ShardPolicy POLICY = ShardPolicy.defaults();

    private TunerFixture() {
    }

    static ShardDecision decide(QueueConfig current, ObservationBuilder observation) {
        return decide(current, observation, ReceiverHealth.unknown(), TunerState.empty());
    }

    static ShardDecision decide(QueueConfig current, ObservationBuilder observation, ReceiverHealth receivers) {
        return decide(current, observation, receivers, TunerState.empty());
    }

    static ShardDecision decide(QueueConfig current, ObservationBuilder observation, TunerState state) {
        return decide(current, observation, ReceiverHealth.unknown(), state);
    }

    static ShardDecision decide(QueueConfig current, ObservationBuilder observation, ReceiverHealth receivers,
                                TunerState state) {
        return ShardTuner.decide(QUEUE, current, observation.build(), receivers, state, POLICY, NOW);
    }

    static ReceiverHealth receivers(Double errors5xx, Double throttled429, Double p99, Double cpu) {
        return new ReceiverHealth(opt(errors5xx), opt(throttled429), opt(p99), opt(cpu));
    }

    static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    private static OptionalDouble opt(Double v) {
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }
}
