package io.rwautoscaler.core.hpa;

/**
 * The reasons upstream sets on HPA conditions (and on its events), with the condition type each belongs to, so
 * that a report can say why the HPA did or did not scale.
 */
public enum ConditionReason {
    SUCCEEDED_GET_SCALE("SucceededGetScale", ConditionType.ABLE_TO_SCALE),
    SUCCEEDED_RESCALE("SucceededRescale", ConditionType.ABLE_TO_SCALE),
    READY_FOR_NEW_SCALE("ReadyForNewScale", ConditionType.ABLE_TO_SCALE),
    SCALE_UP_STABILIZED("ScaleUpStabilized", ConditionType.ABLE_TO_SCALE),
    SCALE_DOWN_STABILIZED("ScaleDownStabilized", ConditionType.ABLE_TO_SCALE),

    VALID_METRIC_FOUND("ValidMetricFound", ConditionType.SCALING_ACTIVE),
    SCALING_DISABLED("ScalingDisabled", ConditionType.SCALING_ACTIVE),
    FAILED_GET_RESOURCE_METRIC("FailedGetResourceMetric", ConditionType.SCALING_ACTIVE),
    FAILED_GET_CONTAINER_RESOURCE_METRIC("FailedGetContainerResourceMetric", ConditionType.SCALING_ACTIVE),
    FAILED_GET_PODS_METRIC("FailedGetPodsMetric", ConditionType.SCALING_ACTIVE),
    FAILED_GET_OBJECT_METRIC("FailedGetObjectMetric", ConditionType.SCALING_ACTIVE),
    FAILED_GET_EXTERNAL_METRIC("FailedGetExternalMetric", ConditionType.SCALING_ACTIVE),
    INVALID_METRIC_SOURCE_TYPE("InvalidMetricSourceType", ConditionType.SCALING_ACTIVE),

    DESIRED_WITHIN_RANGE("DesiredWithinRange", ConditionType.SCALING_LIMITED),
    TOO_FEW_REPLICAS("TooFewReplicas", ConditionType.SCALING_LIMITED),
    TOO_MANY_REPLICAS("TooManyReplicas", ConditionType.SCALING_LIMITED),
    SCALE_UP_LIMIT("ScaleUpLimit", ConditionType.SCALING_LIMITED),
    SCALE_DOWN_LIMIT("ScaleDownLimit", ConditionType.SCALING_LIMITED);

    private final String wireName;
    private final ConditionType type;

    ConditionReason(String wireName, ConditionType type) {
        this.wireName = wireName;
        this.type = type;
    }

    /** The reason as upstream writes it ({@code ScaleUpLimit}, ...). */
    public String wireName() {
        return wireName;
    }

    public ConditionType type() {
        return type;
    }
}
