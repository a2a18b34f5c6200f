package io.rwautoscaler.sizing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rwautoscaler.config.ClusterConfig;
import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.RightSizingConfig;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.sizing.CostModel;
import io.rwautoscaler.core.sizing.ResourceBounds;
import io.rwautoscaler.core.sizing.SizingPolicy;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.kube.KubeEvents.Involved;
import io.rwautoscaler.prometheus.Prometheus;
import io.rwautoscaler.runtime.Leadership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.rwautoscaler.config.ConfigProblems.invalid;
import static io.rwautoscaler.config.ConfigProblems.selector;
import static io.rwautoscaler.config.ConfigProblems.valid;

/** Right-sizing's parts from configuration; local mode (kube-state-metrics series) vs cluster mode decided here. */
@ApplicationScoped
public class SizingWiring {

    @Produces
    @Singleton
    WorkloadInventory workloadInventory(KubernetesConfig kube, RightSizingConfig config, MetricsConfig metrics,
                                        Prometheus prometheus, Instance<KubernetesClient> client) {
        LabelSelector selector = selector("autoscaler.rightsizing.selector", config.selector().orElse(""));
        if (kube.enabled()) {
            return new KubeWorkloadInventory(client.get(), config.selector());
        }
        return new KubeStateWorkloadInventory(prometheus, metrics.matchers().orElse(""), selector);
    }

    @Produces
    @Singleton
    UsageReader usageReader(RightSizingConfig config, MetricsConfig metrics, Prometheus prometheus) {
        return valid("autoscaler.rightsizing.step", () -> new UsageReader(prometheus, new UsageReader.Settings(
                config.step(), config.maxPointsPerSeries(), config.queryTimeout(), metrics.matchers().orElse(""))));
    }

    @Produces
    @Singleton
    WorkloadEvents workloadEvents(KubernetesConfig kube, RightSizingConfig config, Leadership leadership,
                                  Instance<KubernetesClient> client, ClusterConfig cluster) {
        if (!kube.enabled() || !config.events()) {
            return WorkloadEvents.NONE;
        }
        // The loop announces a recommendation when it is new or changed: the writer adds no repeat rule of its own.
        KubeEvents writer = new KubeEvents(Optional.of(client.get()), leadership.identity(), cluster.cluster(),
                Optional.of(Duration.ZERO));
        return (workload, reason, message, at) -> leadership.isLeader() && writer.post(Involved.of(
                workload.kind().apiVersion(), workload.kind().kind(), workload.namespace(), workload.name(), null),
                reason, message, at);
    }

    @Produces
    @Singleton
    RightSizingSettings rightSizingSettings(RightSizingConfig config, ClusterConfig cluster) {
        List<String> namespaces = config.namespaces();
        namespaces.forEach(ns -> valid("autoscaler.rightsizing.namespaces",
                () -> UsageReader.namespaceRegex(List.of(ns))));
        int size = config.namespacesPerQuery();
        if (size < 1) {
            throw invalid("autoscaler.rightsizing.namespaces-per-query", "must be at least 1, got " + size);
        }
        List<List<String>> groups = new ArrayList<>();
        if (namespaces.contains(WorkloadInventory.ALL_NAMESPACES)) {
            groups.add(List.of(WorkloadInventory.ALL_NAMESPACES));
        } else {
            for (int i = 0; i < namespaces.size(); i += size) {
                groups.add(namespaces.subList(i, Math.min(namespaces.size(), i + size)));
            }
        }
        SizingPolicy policy = valid("autoscaler.rightsizing (window, min-data, percentile, buffers, floors, threshold)",
                () -> new SizingPolicy(config.cpuPercentile(), config.cpuBuffer(), config.memoryBuffer(),
                        SizingPolicy.Rounding.DEFAULT, Quantity.cpuCores(config.cpuFloor()),
                        Quantity.bytes(config.memoryFloor()), List.of(), config.memoryLimitRatio(),
                        config.changeThreshold(), config.window(), config.minData()));
        for (Map.Entry<String, RightSizingConfig.Bounds> e : config.bounds().entrySet()) {
            String key = "autoscaler.rightsizing.bounds." + e.getKey();
            policy = policy.withBounds(valid(key, () -> bounds(e.getValue())));
        }
        RightSizingConfig.Price p = config.price();
        CostModel prices = valid("autoscaler.rightsizing.price", () -> new CostModel(p.coreHour().orElse(BigDecimal.ZERO),
                p.gibHour().orElse(BigDecimal.ZERO), p.podHour().orElse(BigDecimal.ZERO)));
        // The report names autoscaler.cluster unless autoscaler.rightsizing.cluster says otherwise.
        String name = config.cluster().equals("default") ? cluster.cluster().filter(c -> !c.isBlank()).orElse("default")
                : config.cluster();
        return new RightSizingSettings(name, groups, policy, prices);
    }

    private static ResourceBounds bounds(RightSizingConfig.Bounds b) {
        String[] parts = b.workload().split("/");
        ResourceKind kind = parts.length == 3 ? ResourceKind.fromPath(parts[1]).orElse(null) : null;
        if (kind == null || !kind.group().equals("apps")) {
            throw new IllegalArgumentException("workload must be namespace/kind/name with kind deployment, statefulset "
                    + "or daemonset, got '" + b.workload() + "'");
        }
        return new ResourceBounds(new ObjectRef(kind, parts[0], parts[2]), b.container(),
                b.minCpu().map(Quantity::cpuCores).orElse(0.0), b.minMemory().map(Quantity::bytes).orElse(0L),
                b.maxCpu().map(Quantity::cpuCores).orElse(Double.MAX_VALUE),
                b.maxMemory().map(Quantity::bytes).orElse(Long.MAX_VALUE));
    }
}
