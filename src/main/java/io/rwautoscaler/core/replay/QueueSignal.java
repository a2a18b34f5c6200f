package io.rwautoscaler.core.replay;

/**
 * The per-queue figures a replay reads for the shard tuner, each one range query for every queue; the "held for"
 * durations and the p99 of shards_desired are computed from these, step by step, rather than queried.
 */
public enum QueueSignal {
    PENDING, LAG, SHARDS, SHARDS_DESIRED, MIN_SHARDS, MAX_SHARDS, CAPACITY, MAX_SAMPLES_PER_SEND,
    SAMPLES_IN, SAMPLES_OUT, RETRIED, SEND_LATENCY, FAILED
}
