package io.rwautoscaler.shards;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.rwautoscaler.core.shards.Agent;

import java.util.List;

/** The prometheus-operator kinds that carry {@code spec.remoteWrite}, read as generic resources (no CRD model). */
public enum PrometheusKinds {
    PROMETHEUS_AGENT(Agent.PROMETHEUS_AGENT, "v1alpha1", "prometheusagents"),
    PROMETHEUS(Agent.PROMETHEUS, "v1", "prometheuses");

    public static final String GROUP = "monitoring.coreos.com";

    private final String kind;
    private final String version;
    private final String plural;

    PrometheusKinds(String kind, String version, String plural) {
        this.kind = kind;
        this.version = version;
        this.plural = plural;
    }

    public String kind() {
        return kind;
    }

    public String apiVersion() {
        return GROUP + "/" + version;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    public static PrometheusKinds of(String kind) {
        for (PrometheusKinds k : values()) {
            if (k.kind.equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a prometheus-operator kind with remoteWrite: " + kind);
    }

    public static List<PrometheusKinds> all() {
        return List.of(values());
    }
}
