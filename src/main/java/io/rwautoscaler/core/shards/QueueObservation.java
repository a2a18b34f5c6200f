package io.rwautoscaler.core.shards;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What the agent's own metrics say about one queue at the decision time. Every figure may be unknown (new agent,
 * renamed metric); an unknown figure is never read as zero.
 *
 * @param pendingSamples           {@code prometheus_remote_storage_samples_pending}
 * @param lagSeconds               highest timestamp read from the WAL minus highest timestamp sent
 * @param shards                   shards running now
 * @param shardsDesired            {@code ..._shards_desired}; Prometheus sets it before clamping to the bounds, so it
 *                                 can exceed {@code maxShards}
 * @param runningMinShards         the bounds the agent runs with ({@code ..._shards_min}); can lag the resource
 * @param runningMaxShards         {@code ..._shards_max}
 * @param samplesInRate            samples/s read from the WAL
 * @param samplesOutRate           samples/s sent
 * @param failedRate               samples/s dropped on non-recoverable (4xx) errors
 * @param retriedRate              samples/s resent after recoverable (5xx, 429) errors
 * @param sendLatencySeconds       mean duration of one batch send ({@code sent_batch_duration_seconds} sum/count)
 * @param queueAboveThresholdFor   how long pending samples have stayed above the policy threshold up to now;
 *                                 zero when below now
 * @param queueAtZeroFor           how long pending samples have stayed at 0 up to now
 * @param shardsAtMaxWithDesiredAboveFor how long shards == max while desired > max, up to now
 * @param shardsDesiredP99Over7d   7-day p99 of {@code shards_desired}; empty when history is too short to size from
 */
public record QueueObservation(
        OptionalDouble pendingSamples,
        OptionalDouble lagSeconds,
        OptionalDouble shards,
        OptionalDouble shardsDesired,
        OptionalInt runningMinShards,
        OptionalInt runningMaxShards,
        OptionalDouble samplesInRate,
        OptionalDouble samplesOutRate,
        OptionalDouble failedRate,
        OptionalDouble retriedRate,
        OptionalDouble sendLatencySeconds,
        Optional<Duration> queueAboveThresholdFor,
        Optional<Duration> queueAtZeroFor,
        Optional<Duration> shardsAtMaxWithDesiredAboveFor,
        OptionalDouble shardsDesiredP99Over7d) {

    public QueueObservation {
        pendingSamples = orEmpty(pendingSamples);
        lagSeconds = orEmpty(lagSeconds);
        shards = orEmpty(shards);
        shardsDesired = orEmpty(shardsDesired);
        runningMinShards = runningMinShards == null ? OptionalInt.empty() : runningMinShards;
        runningMaxShards = runningMaxShards == null ? OptionalInt.empty() : runningMaxShards;
        samplesInRate = orEmpty(samplesInRate);
        samplesOutRate = orEmpty(samplesOutRate);
        failedRate = orEmpty(failedRate);
        retriedRate = orEmpty(retriedRate);
        sendLatencySeconds = orEmpty(sendLatencySeconds);
        queueAboveThresholdFor = orEmpty(queueAboveThresholdFor);
        queueAtZeroFor = orEmpty(queueAtZeroFor);
        shardsAtMaxWithDesiredAboveFor = orEmpty(shardsAtMaxWithDesiredAboveFor);
        shardsDesiredP99Over7d = orEmpty(shardsDesiredP99Over7d);
    }

    /** Nothing known: a queue found in the inventory before any of its metrics. */
    public static QueueObservation unknown() {
        return new QueueObservation(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    // NaN/Inf from a PromQL division is as good as missing.
    private static OptionalDouble orEmpty(OptionalDouble value) {
        return value == null || value.isEmpty() || !Double.isFinite(value.getAsDouble()) ? OptionalDouble.empty()
                : value;
    }

    private static Optional<Duration> orEmpty(Optional<Duration> value) {
        return value == null || value.isEmpty() || value.get().isNegative() ? Optional.empty() : value;
    }
}
