package io.rwautoscaler.sizing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.sizing.ContainerResources;
import io.rwautoscaler.core.sizing.Hpa;
import io.rwautoscaler.core.sizing.PodOwners;
import io.rwautoscaler.core.sizing.ResourceBounds;
import io.rwautoscaler.core.sizing.WorkloadSpec;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Cluster mode: Deployments, StatefulSets and DaemonSets with their pod templates' requests and limits, the
 * autoscaling/v2 HPAs that target them, and the VPAs (when the CRD is installed) whose container policies
 * become {@link ResourceBounds}. Owners are known for the pods that exist; pods of the window gone since are
 * matched by name.
 */
public final class KubeWorkloadInventory implements WorkloadInventory {

    private static final Logger LOG = Logger.getLogger(KubeWorkloadInventory.class);

    static final ResourceDefinitionContext VPA = new ResourceDefinitionContext.Builder()
            .withGroup("autoscaling.k8s.io").withVersion("v1").withKind("VerticalPodAutoscaler")
            .withPlural("verticalpodautoscalers").withNamespaced(true).build();

    private final KubernetesClient client;
    private final Optional<String> selector;

    /** @param selector label selector on the workloads' own labels, if any */
    public KubeWorkloadInventory(KubernetesClient client, Optional<String> selector) {
        this.client = client;
        this.selector = selector.filter(s -> !s.isBlank());
    }

    @Override
    public Workloads read(List<String> namespaces, Instant now, Duration window) {
        List<WorkloadSpec> specs = new ArrayList<>();
        Map<String, ObjectRef> owners = new HashMap<>();
        List<ResourceBounds> bounds = new ArrayList<>();
        List<String> scopes = namespaces.contains(ALL_NAMESPACES) ? List.of(ALL_NAMESPACES) : namespaces;
        for (String ns : scopes) {
            Map<ObjectRef, Hpa> hpas = hpas(ns);
            List<WorkloadSpec> found = new ArrayList<>();
            list(client.apps().statefulSets(), ns, true).forEach(s -> found.add(spec(s, ResourceKind.STATEFULSETS,
                    orOne(s.getSpec().getReplicas()), s.getSpec().getTemplate(), hpas)));
            list(client.apps().deployments(), ns, true).forEach(d -> found.add(spec(d, ResourceKind.DEPLOYMENTS,
                    orOne(d.getSpec().getReplicas()), d.getSpec().getTemplate(), hpas)));
            list(client.apps().daemonSets(), ns, true).forEach(d -> found.add(spec(d, ResourceKind.DAEMONSETS,
                    d.getStatus() == null || d.getStatus().getDesiredNumberScheduled() == null ? 0
                            : d.getStatus().getDesiredNumberScheduled(), d.getSpec().getTemplate(), hpas)));
            specs.addAll(found);
            owners.putAll(liveOwners(ns));
            bounds.addAll(vpaBounds(ns));
        }
        return new Workloads(specs, owners, bounds);
    }

    private <T extends HasMetadata, L extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>> List<T> list(
            io.fabric8.kubernetes.client.dsl.MixedOperation<T, L, ?> op, String ns, boolean selected) {
        AnyNamespaceOperation<T, L, ?> scoped = ns.equals(ALL_NAMESPACES) ? op.inAnyNamespace() : op.inNamespace(ns);
        if (selected && selector.isPresent()) {
            return scoped.withLabelSelector(selector.get()).list().getItems();
        }
        return scoped.list().getItems();
    }

    private static int orOne(Integer replicas) {
        return replicas == null ? 1 : replicas; // the API server defaults spec.replicas to 1
    }

    private static WorkloadSpec spec(HasMetadata workload, ResourceKind kind, int replicas, PodTemplateSpec template,
                                     Map<ObjectRef, Hpa> hpas) {
        ObjectRef ref = new ObjectRef(kind, workload.getMetadata().getNamespace(), workload.getMetadata().getName());
        List<WorkloadSpec.Container> containers = new ArrayList<>();
        for (Container c : template.getSpec().getContainers()) {
            containers.add(new WorkloadSpec.Container(c.getName(), resources(c)));
        }
        return new WorkloadSpec(ref, replicas, containers, Optional.ofNullable(hpas.get(ref)));
    }

    static ContainerResources resources(Container c) {
        Map<String, Quantity> requests = c.getResources() == null || c.getResources().getRequests() == null
                ? Map.of() : c.getResources().getRequests();
        Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null
                ? Map.of() : c.getResources().getLimits();
        // As the API server does: a limit without a request makes the request equal to the limit.
        Quantity cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
        Quantity memoryRequest = requests.getOrDefault("memory", limits.get("memory"));
        return new ContainerResources(cores(cpuRequest), bytes(memoryRequest), cores(limits.get("cpu")),
                bytes(limits.get("memory")));
    }

    private static OptionalDouble cores(Quantity q) {
        return q == null ? OptionalDouble.empty() : OptionalDouble.of(io.rwautoscaler.core.model.Quantity.cpuCores(q.toString()));
    }

    private static OptionalLong bytes(Quantity q) {
        return q == null ? OptionalLong.empty() : OptionalLong.of(io.rwautoscaler.core.model.Quantity.bytes(q.toString()));
    }

    /** autoscaling/v2 HPAs by target; utilization targets of cpu and memory are what sizing can evaluate. */
    private Map<ObjectRef, Hpa> hpas(String ns) {
        Map<ObjectRef, Hpa> out = new HashMap<>();
        for (HorizontalPodAutoscaler h : list(client.autoscaling().v2().horizontalPodAutoscalers(), ns, false)) {
            var target = h.getSpec().getScaleTargetRef();
            ResourceKind kind = ResourceKind.fromPath(target.getKind()).orElse(null);
            if (kind == null || !(kind.equals(ResourceKind.STATEFULSETS) || kind.equals(ResourceKind.DEPLOYMENTS))) {
                continue;
            }
            OptionalInt cpu = OptionalInt.empty();
            OptionalInt memory = OptionalInt.empty();
            boolean other = false;
            for (MetricSpec m : h.getSpec().getMetrics() == null ? List.<MetricSpec>of() : h.getSpec().getMetrics()) {
                Integer utilization = "Resource".equals(m.getType()) && m.getResource() != null
                        && m.getResource().getTarget() != null ? m.getResource().getTarget().getAverageUtilization() : null;
                if (utilization != null && "cpu".equals(m.getResource().getName())) {
                    cpu = OptionalInt.of(utilization);
                } else if (utilization != null && "memory".equals(m.getResource().getName())) {
                    memory = OptionalInt.of(utilization);
                } else {
                    other = true;
                }
            }
            if (h.getSpec().getMetrics() == null || h.getSpec().getMetrics().isEmpty()) {
                cpu = OptionalInt.of(80); // the API server's default metric
            }
            Integer min = h.getSpec().getMinReplicas();
            try {
                out.put(new ObjectRef(kind, h.getMetadata().getNamespace(), target.getName()),
                        new Hpa(h.getMetadata().getName(), min == null ? 1 : min, h.getSpec().getMaxReplicas(), cpu, memory, other));
            } catch (IllegalArgumentException | NullPointerException e) {
                LOG.warnf("HPA %s/%s left out of right-sizing: %s", h.getMetadata().getNamespace(),
                        h.getMetadata().getName(), e.getMessage());
            }
        }
        return out;
    }

    /** Owners of the pods that exist now; Deployments through their ReplicaSets. */
    private Map<String, ObjectRef> liveOwners(String ns) {
        Map<String, ObjectRef> deploymentOfReplicaSet = new HashMap<>();
        for (var rs : list(client.apps().replicaSets(), ns, false)) {
            controller(rs).filter(o -> "Deployment".equals(o.getKind())).ifPresent(o -> deploymentOfReplicaSet.put(
                    PodOwners.key(rs.getMetadata().getNamespace(), rs.getMetadata().getName()),
                    new ObjectRef(ResourceKind.DEPLOYMENTS, rs.getMetadata().getNamespace(), o.getName())));
        }
        Map<String, ObjectRef> out = new HashMap<>();
        for (var pod : list(client.pods(), ns, false)) {
            String podNs = pod.getMetadata().getNamespace();
            controller(pod).map(o -> switch (o.getKind()) {
                case "ReplicaSet" -> deploymentOfReplicaSet.get(PodOwners.key(podNs, o.getName()));
                case "StatefulSet" -> new ObjectRef(ResourceKind.STATEFULSETS, podNs, o.getName());
                case "DaemonSet" -> new ObjectRef(ResourceKind.DAEMONSETS, podNs, o.getName());
                default -> null;
            }).ifPresent(owner -> out.put(PodOwners.key(podNs, pod.getMetadata().getName()), owner));
        }
        return out;
    }

    private static Optional<OwnerReference> controller(HasMetadata o) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty()
                : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    /** VPA container policies as bounds; none when the VPA CRD is not installed. */
    private List<ResourceBounds> vpaBounds(String ns) {
        List<GenericKubernetesResource> vpas;
        try {
            var op = client.genericKubernetesResources(VPA);
            vpas = (ns.equals(ALL_NAMESPACES) ? op.inAnyNamespace() : op.inNamespace(ns)).list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
        List<ResourceBounds> out = new ArrayList<>();
        for (GenericKubernetesResource vpa : vpas) {
            try {
                out.addAll(vpaBounds(vpa));
            } catch (RuntimeException e) {
                LOG.warnf("VPA %s/%s left out of right-sizing: %s", vpa.getMetadata().getNamespace(),
                        vpa.getMetadata().getName(), e.getMessage());
            }
        }
        return out;
    }

    static List<ResourceBounds> vpaBounds(GenericKubernetesResource vpa) {
        String kind = vpa.get("spec", "targetRef", "kind");
        String name = vpa.get("spec", "targetRef", "name");
        ResourceKind k = kind == null ? null : ResourceKind.fromPath(kind).orElse(null);
        List<Map<String, Object>> policies = vpa.get("spec", "resourcePolicy", "containerPolicies");
        if (k == null || name == null || policies == null) {
            return List.of();
        }
        ObjectRef workload = new ObjectRef(k, vpa.getMetadata().getNamespace(), name);
        List<ResourceBounds> out = new ArrayList<>();
        for (Map<String, Object> p : policies) {
            if ("Off".equals(p.get("mode"))) {
                continue;
            }
            Function<String, Map<?, ?>> amounts = key -> p.get(key) instanceof Map<?, ?> m ? m : Map.of();
            Map<?, ?> min = amounts.apply("minAllowed");
            Map<?, ?> max = amounts.apply("maxAllowed");
            if (min.isEmpty() && max.isEmpty()) {
                continue;
            }
            out.add(new ResourceBounds(workload, (String) p.get("containerName"),
                    min.containsKey("cpu") ? io.rwautoscaler.core.model.Quantity.cpuCores(min.get("cpu").toString()) : 0,
                    min.containsKey("memory") ? io.rwautoscaler.core.model.Quantity.bytes(min.get("memory").toString()) : 0,
                    max.containsKey("cpu") ? io.rwautoscaler.core.model.Quantity.cpuCores(max.get("cpu").toString()) : Double.MAX_VALUE,
                    max.containsKey("memory") ? io.rwautoscaler.core.model.Quantity.bytes(max.get("memory").toString()) : Long.MAX_VALUE));
        }
        return out;
    }
}
