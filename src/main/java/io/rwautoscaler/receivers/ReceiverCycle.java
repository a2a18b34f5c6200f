package io.rwautoscaler.receivers;

import io.rwautoscaler.config.ReceiverPolicyConfig;
import io.rwautoscaler.core.receivers.RuleEvaluation;
import io.rwautoscaler.core.receivers.ScalingDecision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One cycle of the receiver policy loop, as the report and the gauges read it.
 *
 * @param ruleErrors     why a rule has no (complete) data, by rule name
 * @param samplesError   why samples/s is unknown
 * @param failingQueues  agent queues whose endpoint fails, left out of the default agent-queue rules
 * @param decision       empty when no decision could be made (then {@code noDecision} says why)
 */
public record ReceiverCycle(Instant evaluatedAt, Duration took, ReceiverPolicyConfig.Mode mode, boolean leader,
                            ReceiverPolicySource.State policy, ReceiverFleetSource.Observation fleet,
                            OptionalDouble samplesPerSecond, Optional<String> samplesError, RuleEvaluation evaluation,
                            Map<String, String> ruleErrors, int queries, FailingQueues failingQueues,
                            Optional<ScalingDecision> decision,
                            Optional<String> noDecision, List<ActionOutcome> actions) {

    public ReceiverCycle {
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(evaluation, "evaluation");
        ruleErrors = Map.copyOf(ruleErrors);
        failingQueues = failingQueues == null ? FailingQueues.NONE : failingQueues;
        actions = List.copyOf(actions);
    }
}
