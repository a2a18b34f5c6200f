package io.rwautoscaler.core.hpa;

import java.util.Arrays;

/** {@code autoscaling/v2 HPAScalingPolicyType}. */
public enum PolicyType {
    PODS("Pods"),
    PERCENT("Percent");

    private final String wireName;

    PolicyType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static PolicyType fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("policy type \"" + name + "\" is not one of Pods, Percent"));
    }
}
