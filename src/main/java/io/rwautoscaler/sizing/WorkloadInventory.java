package io.rwautoscaler.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.sizing.ResourceBounds;
import io.rwautoscaler.core.sizing.WorkloadSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where right-sizing learns what workloads have set: the Kubernetes API, or (local mode) kube-state-metrics series.
 */
public interface WorkloadInventory {

    /** Every namespace, where a namespace list allows it. */
    String ALL_NAMESPACES = "*";

    /**
     * The Deployments, StatefulSets and DaemonSets of these namespaces as they are at {@code now}.
     *
     * @param window how far back pods count for {@link Workloads#podOwners()}
     */
    Workloads read(List<String> namespaces, Instant now, Duration window);

    /**
     * @param podOwners owners known for pods (keyed {@code namespace/pod}); pods of the window not in here are
     *                  matched by name (see {@link io.rwautoscaler.core.sizing.PodOwners})
     * @param bounds    min/max requests that VPAs set for these workloads
     */
    record Workloads(List<WorkloadSpec> specs, Map<String, ObjectRef> podOwners, List<ResourceBounds> bounds) {
        public Workloads {
            specs = List.copyOf(specs);
            podOwners = Map.copyOf(podOwners);
            bounds = List.copyOf(bounds);
        }
    }
}
