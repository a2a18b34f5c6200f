package io.rwautoscaler.core.hpa;

import java.util.Arrays;

/** {@code autoscaling/v2 MetricTargetType}. */
public enum TargetType {
    UTILIZATION("Utilization"),
    VALUE("Value"),
    AVERAGE_VALUE("AverageValue");

    private final String wireName;

    TargetType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type named as in an HPA manifest ({@code Utilization}, {@code Value}, {@code AverageValue}). */
    public static TargetType fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "target type \"" + name + "\" is not one of Utilization, Value, AverageValue"));
    }
}
