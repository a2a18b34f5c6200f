package io.rwautoscaler.core.hpa;

import java.util.Objects;

/** {@code autoscaling/v2 HPAScalingPolicy}: at most {@code value} pods or percent per {@code periodSeconds}. */
public record ScalingPolicy(PolicyType type, int value, int periodSeconds) {

    public ScalingPolicy {
        Objects.requireNonNull(type, "type");
        if (value <= 0) {
            throw new IllegalArgumentException("policy value must be greater than zero, got " + value);
        }
        if (periodSeconds <= 0 || periodSeconds > 1800) {
            throw new IllegalArgumentException("policy periodSeconds must be within 1..1800, got " + periodSeconds);
        }
    }

    public static ScalingPolicy pods(int value, int periodSeconds) {
        return new ScalingPolicy(PolicyType.PODS, value, periodSeconds);
    }

    public static ScalingPolicy percent(int value, int periodSeconds) {
        return new ScalingPolicy(PolicyType.PERCENT, value, periodSeconds);
    }
}
