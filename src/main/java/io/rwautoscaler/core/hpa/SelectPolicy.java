package io.rwautoscaler.core.hpa;

import java.util.Arrays;

/** {@code autoscaling/v2 ScalingPolicySelect}: which policy wins when several apply. */
public enum SelectPolicy {
    /** The policy allowing the largest change (upstream's default). */
    MAX("Max"),
    /** The policy allowing the smallest change. */
    MIN("Min"),
    /** No scaling in this direction. */
    DISABLED("Disabled");

    private final String wireName;

    SelectPolicy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SelectPolicy fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("selectPolicy \"" + name + "\" is not one of Max, Min, Disabled"));
    }
}
