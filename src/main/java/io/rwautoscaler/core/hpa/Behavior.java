package io.rwautoscaler.core.hpa;

import java.util.Objects;

/** {@code autoscaling/v2 HorizontalPodAutoscalerBehavior} after defaulting: both directions set. */
public record Behavior(ScalingRules scaleUp, ScalingRules scaleDown) {

    /** What kube-apiserver stores for {@code behavior: {}}. */
    public static final Behavior DEFAULT = new Behavior(ScalingRules.DEFAULT_SCALE_UP, ScalingRules.DEFAULT_SCALE_DOWN);

    public Behavior {
        Objects.requireNonNull(scaleUp, "scaleUp");
        Objects.requireNonNull(scaleDown, "scaleDown");
        if (scaleUp.stabilizationWindowSeconds().isEmpty()) {
            throw new IllegalArgumentException("scale-up rules need a stabilization window (the default is 0)");
        }
    }
}
