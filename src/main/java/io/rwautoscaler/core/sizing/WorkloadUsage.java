package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Deployment, StatefulSet or DaemonSet with its containers' usage, as sizing sees it.
 *
 * @param cluster  the cluster it runs in ({@code ""} for the one this instance watches); totals group by it
 * @param replicas the current replica count (for a DaemonSet, its scheduled pods)
 * @param hpa      the HPA that targets it, if any
 */
public record WorkloadUsage(String cluster, ObjectRef workload, int replicas, List<ContainerUsage> containers,
                            Optional<Hpa> hpa) {

    public WorkloadUsage {
        cluster = cluster == null ? "" : cluster;
        Objects.requireNonNull(workload, "workload");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + workload);
        }
        containers = List.copyOf(containers);
        hpa = hpa == null ? Optional.empty() : hpa;
    }

    public WorkloadUsage(ObjectRef workload, int replicas, List<ContainerUsage> containers, Optional<Hpa> hpa) {
        this("", workload, replicas, containers, hpa);
    }
}
