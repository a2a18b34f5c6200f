package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Right-sizing of one workload: per container, plus replicas when an HPA scales it on utilization, and what the
 * flagged changes would save per month.
 */
public record WorkloadRecommendation(String cluster, ObjectRef workload, int currentReplicas,
                                     List<ContainerRecommendation> containers,
                                     Optional<ReplicaRecommendation> replicas, MonthlyCost cost) {

    public WorkloadRecommendation {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(workload, "workload");
        containers = List.copyOf(containers);
        replicas = replicas == null ? Optional.empty() : replicas;
        Objects.requireNonNull(cost, "cost");
    }

    public String namespace() {
        return workload.namespace();
    }

    public boolean flagged() {
        return replicas.map(ReplicaRecommendation::flagged).orElse(false)
                || containers.stream().anyMatch(ContainerRecommendation::flagged);
    }
}
