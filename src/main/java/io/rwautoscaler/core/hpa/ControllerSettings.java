package io.rwautoscaler.core.hpa;

import java.time.Duration;
import java.util.Objects;

/**
 * kube-controller-manager's HPA flags that change decisions.
 *
 * @param tolerance                     {@code --horizontal-pod-autoscaler-tolerance}, default 0.1
 * @param cpuInitializationPeriod       {@code --horizontal-pod-autoscaler-cpu-initialization-period}, default 5m
 * @param initialReadinessDelay         {@code --horizontal-pod-autoscaler-initial-readiness-delay}, default 30s
 * @param downscaleStabilizationWindow  {@code --horizontal-pod-autoscaler-downscale-stabilization}, default 5m
 */
public record ControllerSettings(double tolerance, Duration cpuInitializationPeriod, Duration initialReadinessDelay,
                                 Duration downscaleStabilizationWindow) {

    public static final ControllerSettings DEFAULTS = new ControllerSettings(0.1, Duration.ofMinutes(5),
            Duration.ofSeconds(30), Duration.ofMinutes(5));

    public ControllerSettings {
        Objects.requireNonNull(cpuInitializationPeriod, "cpuInitializationPeriod");
        Objects.requireNonNull(initialReadinessDelay, "initialReadinessDelay");
        Objects.requireNonNull(downscaleStabilizationWindow, "downscaleStabilizationWindow");
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be at least 0, got " + tolerance);
        }
    }
}
