package io.rwautoscaler.core.shards;

import java.util.Objects;

/**
 * The tuner's answer for one queue.
 *
 * @param recommended the config we would run: equal to {@code current} when nothing should change, and kept filled
 *                    in for {@link ShardState#WAITING_FOR_DRAIN} and {@link ShardState#BUDGET_EXHAUSTED} so the
 *                    report can show what is pending
 * @param reason      human text with the figures that led here
 * @param safeToApply whether restarting the queue now loses nothing: lag known and below the policy's limit
 * @param safety      why (or why not) it is safe, e.g. {@code "lag 12s < 60s"}
 */
public record ShardDecision(QueueId queue, ShardState state, QueueConfig current, QueueConfig recommended,
                            String reason, boolean safeToApply, String safety) {

    public ShardDecision {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(recommended, "recommended");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(safety, "safety");
    }

    /** Whether {@link #recommended()} differs from {@link #current()} in what Prometheus would run. */
    public boolean changesConfig() {
        return !recommended.sameEffective(current);
    }

    /** Whether the act step should patch the queueConfig now. */
    public boolean apply() {
        return state.applies();
    }
}
