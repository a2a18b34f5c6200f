package io.rwautoscaler.core.hpa;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The outcome of one sync.
 *
 * @param currentReplicas       the target's {@code spec.replicas} at the sync
 * @param desiredReplicas       what the controller sets (equal to current when it does not rescale)
 * @param rescale               whether it updates the scale
 * @param rescaleReason         upstream's event reason text ("cpu resource utilization (percentage of request)
 *                              above target", "All metrics below target", ...), empty when nothing changes
 * @param metricDesiredReplicas the max over the valid metrics, before stabilization and limits; empty when the
 *                              metrics were not consulted (scaling disabled, outside min/max) or all failed
 * @param stabilization         the AbleToScale reason the normalization set (ReadyForNewScale,
 *                              ScaleUpStabilized, ScaleDownStabilized), which a rescale then overwrites with
 *                              SucceededRescale in {@code conditions}; empty when it did not run
 * @param conditions            the status conditions after the sync, in upstream's order
 * @param error                 the error upstream returns from the sync (some or all metrics invalid), if any;
 *                              with {@code rescale} true it scaled on the metrics that worked
 * @param history               the memory to pass to the next sync; it already holds this sync's scale event,
 *                              as upstream records it once the scale update succeeds
 */
public record HpaDecision(int currentReplicas, int desiredReplicas, boolean rescale, String rescaleReason,
                          OptionalInt metricDesiredReplicas, List<MetricStatus> metricStatuses,
                          Optional<ConditionReason> stabilization, List<HpaCondition> conditions, Optional<String> error, HpaHistory history) {

    public HpaDecision {
        Objects.requireNonNull(rescaleReason, "rescaleReason");
        metricStatuses = List.copyOf(metricStatuses);
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(stabilization, "stabilization");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(history, "history");
    }

    public Optional<HpaCondition> condition(ConditionType type) {
        return conditions.stream().filter(c -> c.type() == type).findFirst();
    }

    /** The ScalingLimited reason (DesiredWithinRange, ScaleUpLimit, TooManyReplicas, ...), when it was set. */
    public Optional<ConditionReason> limit() {
        return condition(ConditionType.SCALING_LIMITED).map(HpaCondition::reason);
    }

    /** The AbleToScale reason (ReadyForNewScale, ScaleUpStabilized, ScaleDownStabilized, SucceededRescale). */
    public Optional<ConditionReason> ableToScale() {
        return condition(ConditionType.ABLE_TO_SCALE).map(HpaCondition::reason);
    }

    /** Upstream's SuccessfulRescale event text, when it rescales. */
    public Optional<String> eventMessage() {
        return rescale ? Optional.of("New size: " + desiredReplicas + "; reason: " + rescaleReason) : Optional.empty();
    }
}
