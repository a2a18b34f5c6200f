package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;

import java.util.Objects;

/**
 * Limits a recommended request must stay within for one workload's container, like a VPA's
 * {@code containerPolicies[].minAllowed/maxAllowed} (the runbook's receivers: 500m/1Gi to 4000m/8Gi).
 *
 * @param container a container name, or {@code "*"} for every container of the workload (as the VPA writes it)
 */
public record ResourceBounds(ObjectRef workload, String container, double minCpuCores, long minMemoryBytes,
                             double maxCpuCores, long maxMemoryBytes) {

    public static final String ALL_CONTAINERS = "*";

    public ResourceBounds {
        Objects.requireNonNull(workload, "workload");
        container = container == null || container.isEmpty() ? ALL_CONTAINERS : container;
        if (!(minCpuCores >= 0 && minCpuCores <= maxCpuCores) || minMemoryBytes < 0 || minMemoryBytes > maxMemoryBytes) {
            throw new IllegalArgumentException("bounds of " + workload + "/" + container + " need 0 ≤ min ≤ max");
        }
    }

    /** Bounds for every container of a workload. */
    public static ResourceBounds of(ObjectRef workload, double minCpuCores, long minMemoryBytes,
                                    double maxCpuCores, long maxMemoryBytes) {
        return new ResourceBounds(workload, ALL_CONTAINERS, minCpuCores, minMemoryBytes, maxCpuCores, maxMemoryBytes);
    }

    public boolean appliesTo(ObjectRef workload, String container) {
        return this.workload.equals(workload) && (this.container.equals(ALL_CONTAINERS) || this.container.equals(container));
    }

    public double min(SizedResource resource) {
        return resource == SizedResource.CPU ? minCpuCores : minMemoryBytes;
    }

    public double max(SizedResource resource) {
        return resource == SizedResource.CPU ? maxCpuCores : maxMemoryBytes;
    }
}
