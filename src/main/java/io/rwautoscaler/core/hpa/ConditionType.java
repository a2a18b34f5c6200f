package io.rwautoscaler.core.hpa;

/** {@code autoscaling/v2 HorizontalPodAutoscalerConditionType}. */
public enum ConditionType {
    /** Whether the controller can fetch and update the scale, and whether a backoff holds it. */
    ABLE_TO_SCALE("AbleToScale"),
    /** Whether the controller could compute a replica count from the metrics. */
    SCALING_ACTIVE("ScalingActive"),
    /** Whether the desired count was cut by min/max or a rate limit. */
    SCALING_LIMITED("ScalingLimited");

    private final String wireName;

    ConditionType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
