package io.rwautoscaler.sizing;

import io.rwautoscaler.prometheus.Prometheus;

import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.core.model.PromDuration;
import io.rwautoscaler.core.sizing.ContainerResources;
import io.rwautoscaler.core.sizing.Hpa;
import io.rwautoscaler.core.sizing.PodOwners;
import io.rwautoscaler.core.sizing.WorkloadSpec;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Local mode: workloads and what they have set from kube-state-metrics series, with a fixed number of instant
 * queries per namespace group (however many pods and containers it holds). Workloads are the owners of the pods
 * that exist now; pods of the whole window keep their owners through {@code last_over_time}, so usage of pods
 * rolled away since is still attributed.
 */
public final class KubeStateWorkloadInventory implements WorkloadInventory {

    private static final Logger LOG = Logger.getLogger(KubeStateWorkloadInventory.class);

    private static final Map<String, ResourceKind> OWNER_KINDS = Map.of(
            "StatefulSet", ResourceKind.STATEFULSETS, "DaemonSet", ResourceKind.DAEMONSETS,
            "Deployment", ResourceKind.DEPLOYMENTS);
    /** The replica-count metric of each kind, and its name label. */
    private static final Map<ResourceKind, String[]> REPLICAS = Map.of(
            ResourceKind.STATEFULSETS, new String[]{"kube_statefulset_replicas", "statefulset"},
            ResourceKind.DEPLOYMENTS, new String[]{"kube_deployment_spec_replicas", "deployment"},
            ResourceKind.DAEMONSETS, new String[]{"kube_daemonset_status_desired_number_scheduled", "daemonset"});

    private final Prometheus prometheus;
    private final String matchers;
    private final LabelSelector selector;

    /**
     * @param matchers extra label matchers for every query (may be empty)
     * @param selector on the workloads' labels, read from {@code kube_<kind>_labels} (label names as
     *                 kube-state-metrics sanitizes them, without the {@code label_} prefix)
     */
    public KubeStateWorkloadInventory(Prometheus prometheus, String matchers, LabelSelector selector) {
        this.prometheus = prometheus;
        this.matchers = matchers == null || matchers.isBlank() ? "" : ", " + matchers.trim();
        this.selector = selector;
    }

    @Override
    public Workloads read(List<String> namespaces, Instant now, Duration window) {
        String in = "namespace=~\"" + UsageReader.namespaceRegex(namespaces) + "\"" + matchers;
        String range = "[" + PromDuration.format(window) + "]";

        Map<String, ObjectRef> replicaSets = new HashMap<>();
        for (Sample s : query("last_over_time(kube_replicaset_owner{" + in + ", owner_kind=\"Deployment\"}" + range + ")", now)) {
            replicaSets.put(PodOwners.key(s.label("namespace"), s.label("replicaset")),
                    new ObjectRef(ResourceKind.DEPLOYMENTS, s.label("namespace"), s.label("owner_name")));
        }
        Map<String, ObjectRef> podOwners = new HashMap<>();
        for (Sample s : query("last_over_time(kube_pod_owner{" + in + "}" + range + ")", now)) {
            owner(s, replicaSets).ifPresent(o -> podOwners.put(PodOwners.key(s.label("namespace"), s.label("pod")), o));
        }

        // Pods that exist now, in name order so that "the first pod" is the same every run.
        Map<String, Set<String>> liveContainers = new TreeMap<>();
        for (Sample s : query("kube_pod_container_info{" + in + "}", now)) {
            liveContainers.computeIfAbsent(PodOwners.key(s.label("namespace"), s.label("pod")), k -> new java.util.TreeSet<>())
                    .add(s.label("container"));
        }
        Map<String, Map<String, Double>> requests = resources("kube_pod_container_resource_requests", in, now);
        Map<String, Map<String, Double>> limits = resources("kube_pod_container_resource_limits", in, now);

        Map<ObjectRef, Map<String, ContainerResources>> containers = new LinkedHashMap<>();
        Map<ObjectRef, Integer> livePods = new HashMap<>();
        liveContainers.forEach((pod, names) -> {
            ObjectRef owner = podOwners.get(pod);
            if (owner == null) {
                return; // a Job's pod, a bare pod, or one kube_pod_owner does not know yet
            }
            livePods.merge(owner, 1, Integer::sum);
            Map<String, ContainerResources> byName = containers.computeIfAbsent(owner, k -> new LinkedHashMap<>());
            for (String c : names) {
                // The first live pod (by name) speaks for the workload; during a rollout pods may differ.
                byName.putIfAbsent(c, resources(requests.get(pod + "/" + c), limits.get(pod + "/" + c)));
            }
        });

        Map<ObjectRef, Map<String, String>> labels = selector.isEverything() ? Map.of() : workloadLabels(in, now);
        Map<ObjectRef, Integer> replicas = replicas(containers.keySet(), in, now);
        Map<ObjectRef, Hpa> hpas = hpas(in, now);
        List<WorkloadSpec> specs = new ArrayList<>();
        containers.forEach((workload, byName) -> {
            if (!selector.isEverything() && !selector.matches(labels.getOrDefault(workload, Map.of()))) {
                return;
            }
            List<WorkloadSpec.Container> list = new ArrayList<>();
            byName.forEach((name, resources) -> list.add(new WorkloadSpec.Container(name, resources)));
            specs.add(new WorkloadSpec(workload, replicas.getOrDefault(workload, livePods.get(workload)), list,
                    Optional.ofNullable(hpas.get(workload))));
        });
        return new Workloads(specs, podOwners, List.of());
    }

    private List<Sample> query(String promql, Instant now) {
        return prometheus.query(promql, now).vector();
    }

    private static Optional<ObjectRef> owner(Sample s, Map<String, ObjectRef> replicaSets) {
        String kind = s.label("owner_kind");
        String name = s.label("owner_name");
        String ns = s.label("namespace");
        if (kind == null || name == null || ns == null) {
            return Optional.empty();
        }
        if (kind.equals("ReplicaSet")) {
            return Optional.ofNullable(replicaSets.get(PodOwners.key(ns, name)));
        }
        ResourceKind k = OWNER_KINDS.get(kind);
        return k == null ? Optional.empty() : Optional.of(new ObjectRef(k, ns, name));
    }

    /** {@code namespace/pod/container} → resource ({@code cpu} in cores, {@code memory} in bytes) → amount. */
    private Map<String, Map<String, Double>> resources(String metric, String in, Instant now) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (Sample s : query(metric + "{" + in + ", resource=~\"cpu|memory\"}", now)) {
            if (s.isFinite()) {
                out.computeIfAbsent(PodOwners.key(s.label("namespace"), s.label("pod")) + "/" + s.label("container"),
                        k -> new HashMap<>()).put(s.label("resource"), s.value());
            }
        }
        return out;
    }

    private static ContainerResources resources(Map<String, Double> requests, Map<String, Double> limits) {
        Map<String, Double> r = requests == null ? Map.of() : requests;
        Map<String, Double> l = limits == null ? Map.of() : limits;
        return new ContainerResources(cores(r.get("cpu")), bytes(r.get("memory")), cores(l.get("cpu")), bytes(l.get("memory")));
    }

    private static OptionalDouble cores(Double v) {
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static OptionalLong bytes(Double v) {
        return v == null ? OptionalLong.empty() : OptionalLong.of(Math.round(v));
    }

    /** Replica counts, one query per kind in scope; a workload without one counts its live pods. */
    private Map<ObjectRef, Integer> replicas(Set<ObjectRef> workloads, String in, Instant now) {
        Set<ResourceKind> kinds = new LinkedHashSet<>();
        workloads.forEach(w -> kinds.add(w.kind()));
        Map<ObjectRef, Integer> out = new HashMap<>();
        for (ResourceKind kind : kinds) {
            String[] metric = REPLICAS.get(kind);
            for (Sample s : query(metric[0] + "{" + in + "}", now)) {
                if (s.isFinite() && s.label(metric[1]) != null) {
                    out.put(new ObjectRef(kind, s.label("namespace"), s.label(metric[1])), (int) Math.round(s.value()));
                }
            }
        }
        return out;
    }

    /** HPAs by the workload they target; the spec queries run only when there is an HPA at all. */
    private Map<ObjectRef, Hpa> hpas(String in, Instant now) {
        Map<String, ObjectRef> targets = new HashMap<>();
        for (Sample s : query("kube_horizontalpodautoscaler_info{" + in + "}", now)) {
            ResourceKind kind = OWNER_KINDS.get(s.label("scaletargetref_kind"));
            if (kind != null && s.label("scaletargetref_name") != null) {
                targets.put(hpaKey(s), new ObjectRef(kind, s.label("namespace"), s.label("scaletargetref_name")));
            }
        }
        if (targets.isEmpty()) {
            return Map.of();
        }
        Map<String, Double> min = byHpa("kube_horizontalpodautoscaler_spec_min_replicas", in, now);
        Map<String, Double> max = byHpa("kube_horizontalpodautoscaler_spec_max_replicas", in, now);
        Map<String, Integer> cpu = new HashMap<>();
        Map<String, Integer> memory = new HashMap<>();
        Set<String> other = new java.util.HashSet<>();
        for (Sample s : query("kube_horizontalpodautoscaler_spec_target_metric{" + in + "}", now)) {
            String key = hpaKey(s);
            boolean utilization = "utilization".equals(s.label("metric_target_type"));
            if (utilization && "cpu".equals(s.label("metric_name"))) {
                cpu.put(key, (int) Math.round(s.value()));
            } else if (utilization && "memory".equals(s.label("metric_name"))) {
                memory.put(key, (int) Math.round(s.value()));
            } else {
                other.add(key);
            }
        }
        Map<ObjectRef, Hpa> out = new HashMap<>();
        targets.forEach((key, target) -> {
            String name = key.substring(key.indexOf('/') + 1);
            try {
                out.put(target, new Hpa(name, (int) Math.round(min.getOrDefault(key, 1.0)),
                        (int) Math.round(max.getOrDefault(key, Double.NaN)), optional(cpu.get(key)),
                        optional(memory.get(key)), other.contains(key)));
            } catch (IllegalArgumentException e) {
                LOG.warnf("HPA %s left out of right-sizing: %s", key, e.getMessage());
            }
        });
        return out;
    }

    private Map<String, Double> byHpa(String metric, String in, Instant now) {
        Map<String, Double> out = new HashMap<>();
        for (Sample s : query(metric + "{" + in + "}", now)) {
            if (s.isFinite()) {
                out.put(hpaKey(s), s.value());
            }
        }
        return out;
    }

    private static String hpaKey(Sample s) {
        return PodOwners.key(s.label("namespace"), s.label("horizontalpodautoscaler"));
    }

    private static OptionalInt optional(Integer v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** Labels of each workload from {@code kube_<kind>_labels}, with kube-state-metrics' {@code label_} prefix removed. */
    private Map<ObjectRef, Map<String, String>> workloadLabels(String in, Instant now) {
        Map<ObjectRef, Map<String, String>> out = new HashMap<>();
        for (Sample s : query("{__name__=~\"kube_(deployment|statefulset|daemonset)_labels\", " + in + "}", now)) {
            for (var e : REPLICAS.entrySet()) {
                String name = s.label(e.getValue()[1]);
                if (name != null) {
                    Map<String, String> l = new HashMap<>();
                    s.labels().forEach((k, v) -> {
                        if (k.startsWith("label_")) {
                            l.put(k.substring("label_".length()), v);
                        }
                    });
                    out.put(new ObjectRef(e.getKey(), s.label("namespace"), name), l);
                }
            }
        }
        return out;
    }
}
