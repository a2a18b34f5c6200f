package io.rwautoscaler.core.replay;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shard tuner's side of history, on the decision steps: every queue's figures, and the receivers' health
 * (one series each, NaN where unknown).
 *
 * @param historySteps how many steps of {@code shards_desired} precede the first decision step in each queue's
 *                     {@link QueueHistory#desiredHistory()}
 * @param health       5xx/s, 429/s, p99 latency (s), CPU utilization; each empty (all NaN) when not configured
 */
public record ShardHistory(List<QueueHistory> queues, int historySteps, double[] errors5xx, double[] throttled429,
                           double[] p99Latency, double[] cpuUtilization, Map<String, String> errors) {

    public ShardHistory {
        queues = List.copyOf(queues);
        Objects.requireNonNull(errors5xx, "errors5xx");
        Objects.requireNonNull(throttled429, "throttled429");
        Objects.requireNonNull(p99Latency, "p99Latency");
        Objects.requireNonNull(cpuUtilization, "cpuUtilization");
        errors = Map.copyOf(errors);
    }

    /** No queue seen: the shard part of the replay decides nothing. */
    public static ShardHistory none(int steps) {
        double[] nan = new double[steps];
        java.util.Arrays.fill(nan, Double.NaN);
        return new ShardHistory(List.of(), 0, nan, nan, nan, nan, Map.of());
    }
}
