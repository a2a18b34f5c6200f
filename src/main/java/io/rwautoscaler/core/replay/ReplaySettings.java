package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.shards.ShardPolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the live loops are configured with, handed to the replay so it decides exactly as they would.
 *
 * @param receiverCooldown  {@code autoscaler.policy.cooldown}: apply mode changes one target at most this often
 * @param perReceiverRules  rules whose value is a per-receiver figure (CPU, memory utilization): rescaled by
 *                          recorded ÷ virtual replicas, so the load is conserved on the fleet the replay runs
 * @param historyWindow     the shard tuner's p99 window ({@code autoscaler.shards.observe.history-window})
 * @param minHistory        less history than this and the p99 is unknown ({@code observe.min-history})
 */
public record ReplaySettings(ReceiverPolicy receiverPolicy, Duration receiverCooldown, Set<String> perReceiverRules,
                             ShardPolicy shardPolicy, Duration historyWindow, Duration minHistory) {

    public ReplaySettings {
        Objects.requireNonNull(receiverPolicy, "receiverPolicy");
        Objects.requireNonNull(receiverCooldown, "receiverCooldown");
        perReceiverRules = Set.copyOf(perReceiverRules);
        Objects.requireNonNull(shardPolicy, "shardPolicy");
        Objects.requireNonNull(historyWindow, "historyWindow");
        Objects.requireNonNull(minHistory, "minHistory");
    }

    /** The longest {@code for} window of the policy: history the receiver side reads before the first step. */
    public Duration longestRuleWindow() {
        return receiverPolicy.rules().stream().map(r -> r.forDuration()).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The resolution rule windows are proven at: the policy's evaluation step, or the replay's step if finer. */
    public Duration ruleResolution(Duration step) {
        Duration evaluation = receiverPolicy.evaluationStep();
        return step.compareTo(evaluation) < 0 ? step : evaluation;
    }
}
