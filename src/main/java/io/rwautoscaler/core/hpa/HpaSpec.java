package io.rwautoscaler.core.hpa;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of {@code autoscaling/v2 HorizontalPodAutoscalerSpec} the controller decides from, after
 * kube-apiserver's defaulting (minReplicas 1 when unset, a cpu 80 % metric when none, behavior rules filled).
 * An absent behavior is kept absent: upstream then takes the older path ({@code normalizeDesiredReplicas}:
 * scale-down stabilization from the controller's flag and a scale-up limit of max(2 × current, 4)).
 *
 * @param minReplicas 0 only with the HPAScaleToZero feature (and an Object or External metric)
 */
public record HpaSpec(int minReplicas, int maxReplicas, List<MetricSpec> metrics, Optional<Behavior> behavior) {

    public HpaSpec {
        metrics = List.copyOf(Objects.requireNonNull(metrics, "metrics"));
        behavior = behavior == null ? Optional.empty() : behavior;
        if (minReplicas < 0) {
            throw new IllegalArgumentException("minReplicas must be at least 0, got " + minReplicas);
        }
        if (maxReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("maxReplicas " + maxReplicas + " must be at least 1 and at least minReplicas "
                    + minReplicas);
        }
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("an HPA needs at least one metric (kube-apiserver defaults to cpu 80 %)");
        }
    }
}
