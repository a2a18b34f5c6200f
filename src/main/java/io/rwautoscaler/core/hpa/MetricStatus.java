package io.rwautoscaler.core.hpa;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One metric's outcome in a sync: its proposal and current value (as upstream puts in
 * {@code status.currentMetrics}), or why it could not be computed.
 *
 * @param name    upstream's description of the metric, used in the rescale reason
 *                ("cpu resource utilization (percentage of request)", "pods metric qps", ...)
 * @param failure the ScalingActive reason when the metric was invalid
 */
public record MetricStatus(MetricSpec spec, String name, OptionalInt replicaProposal,
                           OptionalInt currentAverageUtilization, OptionalLong currentAverageValueMilli,
                           OptionalLong currentValueMilli, Optional<ConditionReason> failure, Optional<String> error) {

    public MetricStatus {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(name, "name");
    }

    static MetricStatus failed(MetricSpec spec, ConditionReason reason, String error) {
        return new MetricStatus(spec, "", OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty(),
                OptionalLong.empty(), Optional.of(reason), Optional.of(error));
    }

    public boolean valid() {
        return failure.isEmpty();
    }
}
