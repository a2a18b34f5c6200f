package io.rwautoscaler.bench;

import io.rwautoscaler.core.shards.AppliedChange;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueId;
import io.rwautoscaler.core.shards.QueueInput;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.ReceiverHealth;
import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.core.shards.TunerState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * 1,000 remote-write queues for one shard decision cycle, in the mix a large fleet shows at any moment: most
 * quiet, some wanting a raise or a lowering (more than the hourly budget grants), some blocked by receivers,
 * missing data, a high lag, a cooldown or a revert. Deterministic (fixed seed).
 */
public final class QueueFleet {

    public static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    /** The runbook's queueConfig. */
    public static final QueueConfig RUNBOOK = QueueConfig.unset().withMinShards(10).withMaxShards(100).withCapacity(20_000);
    public static final ShardPolicy POLICY = ShardPolicy.defaults();

    private final List<QueueInput> inputs = new ArrayList<>();
    private final TunerState state;

    public QueueFleet(int queues) {
        SplittableRandom random = new SplittableRandom(7);
        Map<QueueId, AppliedChange> changes = new HashMap<>();
        for (int i = 0; i < queues; i++) {
            QueueId id = new QueueId(AgentFleet.namespace(i % AgentFleet.NAMESPACES), "prometheus-agent",
                    "prometheus-agent-" + (i / AgentFleet.NAMESPACES), "thanos-a",
                    "http://thanos-a.monitoring.svc:19291/api/v1/receive");
            int kind = random.nextInt(100);
            QueueObservation obs;
            ReceiverHealth receivers = ReceiverHealth.unknown();
            if (kind < 60) {
                obs = quiet(random);
            } else if (kind < 68) {
                obs = raising(random, 20, OptionalDouble.of(140), random.nextInt(1, 50));
            } else if (kind < 76) {
                obs = idle(40);
            } else if (kind < 80) {
                obs = raising(random, 20, OptionalDouble.of(140), 10);
                receivers = new ReceiverHealth(OptionalDouble.of(0.5), OptionalDouble.of(0), OptionalDouble.of(0.4),
                        OptionalDouble.of(0.6));
            } else if (kind < 84) {
                obs = raising(random, 20, OptionalDouble.empty(), 10);
            } else if (kind < 88) {
                obs = raising(random, 20, OptionalDouble.of(140), 300);
            } else if (kind < 92) {
                obs = quiet(random);
                changes.put(id, new AppliedChange(NOW.minus(Duration.ofMinutes(10)), RUNBOOK.withMaxShards(50), RUNBOOK, false));
            } else if (kind < 96) {
                obs = quiet(random);
                changes.put(id, new AppliedChange(NOW.minus(Duration.ofHours(3)), RUNBOOK, RUNBOOK.withMaxShards(200), false));
            } else if (kind < 98) {
                obs = QueueObservation.unknown();
            } else {
                // Each shard sends full batches back to back: the batch size is the limit.
                obs = observation(50_000, 10, 100, 130, 360_000, 0.5, Duration.ofMinutes(20), Duration.ZERO,
                        Duration.ofMinutes(20), OptionalDouble.of(140));
            }
            inputs.add(new QueueInput(id, RUNBOOK, obs, receivers));
        }
        // Four changes already made this hour: six left for this cycle.
        state = new TunerState(changes, Collections.nCopies(4, NOW.minus(Duration.ofMinutes(20))));
    }

    public List<QueueInput> inputs() {
        return inputs;
    }

    public TunerState state() {
        return state;
    }

    private static QueueObservation quiet(SplittableRandom random) {
        return observation(random.nextInt(0, 2_000), 5, 50, 48, 100_000, 0.1, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, OptionalDouble.of(60));
    }

    private static QueueObservation raising(SplittableRandom random, long heldMinutes, OptionalDouble p99, double lag) {
        Duration held = Duration.ofMinutes(heldMinutes);
        return observation(random.nextInt(6_000, 50_000), lag, 100, 130, 100_000, 0.1, held, Duration.ZERO, held, p99);
    }

    private static QueueObservation idle(long heldMinutes) {
        return observation(0, 1, 20, 20, 100_000, 0.1, Duration.ZERO, Duration.ofMinutes(heldMinutes), Duration.ZERO,
                OptionalDouble.of(20));
    }

    private static QueueObservation observation(double pending, double lag, double shards, double desired,
                                                double samplesOut, double sendLatency, Duration above, Duration zero,
                                                Duration atMax, OptionalDouble p99) {
        return new QueueObservation(OptionalDouble.of(pending), OptionalDouble.of(lag), OptionalDouble.of(shards),
                OptionalDouble.of(desired), OptionalInt.empty(), OptionalInt.empty(), OptionalDouble.of(samplesOut),
                OptionalDouble.of(samplesOut), OptionalDouble.of(0), OptionalDouble.of(0),
                OptionalDouble.of(sendLatency), Optional.of(above), Optional.of(zero), Optional.of(atMax), p99);
    }
}
