package io.rwautoscaler.core.sizing;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The HorizontalPodAutoscaler that scales a workload, as far as sizing needs it.
 *
 * @param cpuTargetUtilization    {@code type: Resource, name: cpu, target.averageUtilization} in percent, if any
 * @param memoryTargetUtilization the same for memory
 * @param otherMetrics            whether it also scales on Pods, Object, External or AverageValue metrics, which
 *                                sizing cannot evaluate (they may hold more replicas than utilization needs)
 */
public record Hpa(String name, int minReplicas, int maxReplicas, OptionalInt cpuTargetUtilization,
                  OptionalInt memoryTargetUtilization, boolean otherMetrics) {

    public Hpa {
        Objects.requireNonNull(name, "name");
        cpuTargetUtilization = cpuTargetUtilization == null ? OptionalInt.empty() : cpuTargetUtilization;
        memoryTargetUtilization = memoryTargetUtilization == null ? OptionalInt.empty() : memoryTargetUtilization;
        if (minReplicas < 0 || maxReplicas < Math.max(1, minReplicas)) {
            throw new IllegalArgumentException("replica bounds " + minReplicas + ".." + maxReplicas + " of HPA " + name);
        }
        requirePositive(cpuTargetUtilization, "cpu", name);
        requirePositive(memoryTargetUtilization, "memory", name);
    }

    /** The target utilization in percent the HPA holds this resource at, if it scales on it. */
    public OptionalInt target(SizedResource resource) {
        return resource == SizedResource.CPU ? cpuTargetUtilization : memoryTargetUtilization;
    }

    public boolean scalesOnUtilization() {
        return cpuTargetUtilization.isPresent() || memoryTargetUtilization.isPresent();
    }

    private static void requirePositive(OptionalInt target, String resource, String name) {
        if (target.isPresent() && target.getAsInt() <= 0) {
            throw new IllegalArgumentException(resource + " target utilization of HPA " + name + " must be positive");
        }
    }
}
