package io.rwautoscaler.core.hpa;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * {@code autoscaling/v2 HPAScalingRules} as kube-apiserver stores it after defaulting: select policy and
 * policies always set. The stabilization window may be empty for scale-down only: upstream leaves it unset
 * there and the controller fills in {@code --horizontal-pod-autoscaler-downscale-stabilization}
 * ({@code maybeInitScaleDownStabilizationWindow}). The tolerance, when set, overrides the controller's
 * {@code --horizontal-pod-autoscaler-tolerance} for this direction (HPAConfigurableTolerance, 1.33+).
 */
public record ScalingRules(OptionalInt stabilizationWindowSeconds, SelectPolicy selectPolicy,
                           List<ScalingPolicy> policies, OptionalDouble tolerance) {

    /** Upstream's default scale-up rules: no stabilization, Max of 4 pods and 100 % per 15 s. */
    public static final ScalingRules DEFAULT_SCALE_UP = new ScalingRules(OptionalInt.of(0), SelectPolicy.MAX,
            List.of(ScalingPolicy.pods(4, 15), ScalingPolicy.percent(100, 15)), OptionalDouble.empty());

    /** Upstream's default scale-down rules: 100 % per 15 s; the window comes from the controller's setting. */
    public static final ScalingRules DEFAULT_SCALE_DOWN = new ScalingRules(OptionalInt.empty(), SelectPolicy.MAX,
            List.of(ScalingPolicy.percent(100, 15)), OptionalDouble.empty());

    public ScalingRules {
        stabilizationWindowSeconds = stabilizationWindowSeconds == null ? OptionalInt.empty() : stabilizationWindowSeconds;
        Objects.requireNonNull(selectPolicy, "selectPolicy");
        policies = List.copyOf(Objects.requireNonNull(policies, "policies"));
        tolerance = tolerance == null ? OptionalDouble.empty() : tolerance;
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("scaling rules must specify at least one policy");
        }
        if (stabilizationWindowSeconds.isPresent()
                && (stabilizationWindowSeconds.getAsInt() < 0 || stabilizationWindowSeconds.getAsInt() > 3600)) {
            throw new IllegalArgumentException("stabilizationWindowSeconds must be within 0..3600, got "
                    + stabilizationWindowSeconds.getAsInt());
        }
        if (tolerance.isPresent() && !(tolerance.getAsDouble() >= 0)) {
            throw new IllegalArgumentException("tolerance must be at least zero, got " + tolerance.getAsDouble());
        }
    }

    public static ScalingRules of(int stabilizationWindowSeconds, SelectPolicy selectPolicy, ScalingPolicy... policies) {
        return new ScalingRules(OptionalInt.of(stabilizationWindowSeconds), selectPolicy, List.of(policies),
                OptionalDouble.empty());
    }

    public ScalingRules withStabilizationWindowSeconds(int seconds) {
        return new ScalingRules(OptionalInt.of(seconds), selectPolicy, policies, tolerance);
    }
}
