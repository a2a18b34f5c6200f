package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.model.ResourceKind;

/**
 * A custom.metrics.k8s.io request after its path was parsed.
 *
 * @param namespace empty for cluster-scoped kinds
 * @param name      an object name, or {@code *} for every object matching {@code selector}
 */
public record CustomMetricQuery(ResourceKind kind, String namespace, String name, String metric,
                                LabelSelector selector, LabelSelector metricSelector) {
    public static final String ALL = "*";

    public boolean all() {
        return ALL.equals(name);
    }
}
