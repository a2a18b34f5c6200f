package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a workload has set, before any usage is known: its containers' requests and limits (from the pod template,
 * or in local mode from kube-state-metrics), its replica count and the HPA that targets it.
 *
 * @param containers the regular containers, in the pod template's order; init containers are not sized
 */
public record WorkloadSpec(ObjectRef workload, int replicas, List<Container> containers, Optional<Hpa> hpa) {

    /** One container and what it has set. */
    public record Container(String name, ContainerResources current) {
        public Container {
            Objects.requireNonNull(name, "name");
            current = current == null ? ContainerResources.none() : current;
        }
    }

    public WorkloadSpec {
        Objects.requireNonNull(workload, "workload");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + workload);
        }
        containers = List.copyOf(containers);
        hpa = hpa == null ? Optional.empty() : hpa;
    }
}
