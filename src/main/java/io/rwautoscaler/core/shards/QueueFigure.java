package io.rwautoscaler.core.shards;

/**
 * The figures the shard tuner reads for every queue, one batched query each per cycle. Durations and rates are
 * plain numbers here (seconds, per second); {@link WorstPod} folds one remoteWrite entry's pods into a {@link QueueObservation}.
 */
public enum QueueFigure {
    PENDING_SAMPLES,
    LAG_SECONDS,
    SHARDS,
    SHARDS_DESIRED,
    SHARDS_MIN,
    SHARDS_MAX,
    CAPACITY,
    MAX_SAMPLES_PER_SEND,
    /** Per pod in Prometheus 2.x (no remote_name/url): applies to each of the pod's queues. */
    SAMPLES_IN_RATE,
    SAMPLES_OUT_RATE,
    FAILED_RATE,
    RETRIED_RATE,
    SEND_LATENCY_SECONDS,
    QUEUE_ABOVE_THRESHOLD_FOR_SECONDS,
    QUEUE_AT_ZERO_FOR_SECONDS,
    SHARDS_AT_MAX_WITH_DESIRED_ABOVE_FOR_SECONDS,
    SHARDS_DESIRED_P99
}
