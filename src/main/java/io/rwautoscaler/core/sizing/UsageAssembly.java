package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins what workloads have set ({@link WorkloadSpec}) with per-pod usage series into {@link WorkloadUsage}: each
 * container's series of all the workload's pods, past and present, merged into one ({@link UsageSeries#merge}).
 * A container without any series gets an empty one, which sizing reports as insufficient data; series of pods
 * without an owner in scope, or of containers the spec no longer has, are left out.
 */
public final class UsageAssembly {

    private UsageAssembly() {
    }

    public static List<WorkloadUsage> assemble(String cluster, List<WorkloadSpec> specs, PodOwners owners,
                                               Map<ContainerKey, UsageSeries> cpu, Map<ContainerKey, UsageSeries> memory,
                                               Duration step) {
        Map<ObjectRef, Map<String, List<UsageSeries>>> cpuByOwner = byOwner(cpu, owners);
        Map<ObjectRef, Map<String, List<UsageSeries>>> memoryByOwner = byOwner(memory, owners);
        List<WorkloadUsage> out = new ArrayList<>(specs.size());
        for (WorkloadSpec spec : specs) {
            List<ContainerUsage> containers = new ArrayList<>(spec.containers().size());
            for (WorkloadSpec.Container c : spec.containers()) {
                containers.add(new ContainerUsage(c.name(), c.current(),
                        merged(cpuByOwner, spec.workload(), c.name(), step),
                        merged(memoryByOwner, spec.workload(), c.name(), step)));
            }
            out.add(new WorkloadUsage(cluster, spec.workload(), spec.replicas(), containers, spec.hpa()));
        }
        return out;
    }

    private static Map<ObjectRef, Map<String, List<UsageSeries>>> byOwner(Map<ContainerKey, UsageSeries> series,
                                                                          PodOwners owners) {
        Map<ObjectRef, Map<String, List<UsageSeries>>> out = new HashMap<>();
        Map<String, ObjectRef> ownerOfPod = new HashMap<>();
        series.forEach((key, s) -> {
            ObjectRef owner = ownerOfPod.computeIfAbsent(PodOwners.key(key.namespace(), key.pod()),
                    k -> owners.ownerOf(key.namespace(), key.pod()).orElse(null));
            if (owner != null && !s.isEmpty()) {
                out.computeIfAbsent(owner, k -> new HashMap<>()).computeIfAbsent(key.container(), k -> new ArrayList<>()).add(s);
            }
        });
        return out;
    }

    private static UsageSeries merged(Map<ObjectRef, Map<String, List<UsageSeries>>> byOwner, ObjectRef workload,
                                      String container, Duration step) {
        List<UsageSeries> pods = byOwner.getOrDefault(workload, Map.of()).getOrDefault(container, List.of());
        return pods.isEmpty() ? UsageSeries.empty(step) : UsageSeries.merge(pods);
    }
}
