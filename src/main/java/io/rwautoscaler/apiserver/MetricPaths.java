package io.rwautoscaler.apiserver;

import io.rwautoscaler.core.model.MetricName;

import io.rwautoscaler.core.metrics.CustomMetricQuery;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.model.ResourceKind;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the custom-metrics path forms, as custom-metrics-apiserver routes them:
 * <pre>
 *   {resource}/{name}/{metric}                        cluster-scoped object (name may be *)
 *   namespaces/{ns}/metrics/{metric}                  the namespace itself
 *   namespaces/{ns}/{resource}/{name}/{metric}        namespaced object (name may be *)
 * </pre>
 */
final class MetricPaths {

    /** DNS-1123 subdomain, the rule for most object names (pods, services, workloads). */
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** DNS-1123 label, the rule for namespaces. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private MetricPaths() {
    }

    static CustomMetricQuery custom(String path, String labelSelector, String metricLabelSelector) {
        List<String> seg = List.of(path.split("/", -1));
        if (seg.stream().anyMatch(String::isEmpty)) {
            throw LookupException.badRequest("malformed path '" + path + "': empty segment");
        }
        LabelSelector selector = selector("labelSelector", labelSelector);
        LabelSelector metricSelector = selector("metricLabelSelector", metricLabelSelector);
        return switch (seg.size()) {
            case 3 -> {
                ResourceKind kind = kind(seg.get(0));
                if (kind.namespaced()) {
                    throw LookupException.badRequest(kind.qualifiedResource()
                            + " are namespaced: ask /namespaces/{namespace}/" + seg.get(0) + "/" + seg.get(1) + "/" + seg.get(2));
                }
                yield new CustomMetricQuery(kind, "", name(seg.get(1), kind), metric(seg.get(2)), selector, metricSelector);
            }
            case 4 -> {
                if (!"namespaces".equals(seg.get(0)) || !"metrics".equals(seg.get(2))) {
                    throw LookupException.badRequest("malformed path '" + path
                            + "': four segments must read namespaces/{namespace}/metrics/{metric}");
                }
                yield new CustomMetricQuery(ResourceKind.NAMESPACES, "", namespace(seg.get(1)), metric(seg.get(3)),
                        selector, metricSelector);
            }
            case 5 -> {
                if (!"namespaces".equals(seg.get(0))) {
                    throw LookupException.badRequest("malformed path '" + path
                            + "': expected namespaces/{namespace}/{resource}/{name}/{metric}");
                }
                ResourceKind kind = kind(seg.get(2));
                if (!kind.namespaced()) {
                    throw LookupException.badRequest(kind.qualifiedResource() + " are cluster-scoped: ask /"
                            + seg.get(2) + "/" + seg.get(3) + "/" + seg.get(4));
                }
                yield new CustomMetricQuery(kind, namespace(seg.get(1)), name(seg.get(3), kind), metric(seg.get(4)),
                        selector, metricSelector);
            }
            default -> throw LookupException.badRequest("malformed path '" + path + "': expected {resource}/{name}/{metric}, "
                    + "namespaces/{namespace}/metrics/{metric} or namespaces/{namespace}/{resource}/{name}/{metric}");
        };
    }

    static ResourceKind kind(String segment) {
        return ResourceKind.fromPath(segment).orElseThrow(() -> LookupException.notFound(
                "the server doesn't have a resource type \"" + segment + "\" (served: "
                        + String.join(", ", ResourceKind.KNOWN.stream().map(ResourceKind::qualifiedResource).toList()) + ")"));
    }

    static String name(String name, ResourceKind kind) {
        if (CustomMetricQuery.ALL.equals(name)) {
            return name;
        }
        Pattern p = kind.equals(ResourceKind.NAMESPACES) ? NAMESPACE : OBJECT_NAME;
        if (!p.matcher(name).matches()) {
            throw LookupException.badRequest("invalid " + kind.singular() + " name '" + name + "'");
        }
        return name;
    }

    static String namespace(String ns) {
        if (!NAMESPACE.matcher(ns).matches()) {
            throw LookupException.badRequest("invalid namespace '" + ns + "'");
        }
        return ns;
    }

    static String metric(String metric) {
        if (!MetricName.valid(metric)) {
            throw LookupException.badRequest("invalid metric name '" + metric + "'");
        }
        return metric;
    }

    static LabelSelector selector(String param, String value) {
        try {
            return LabelSelector.parse(value == null ? "" : value);
        } catch (LabelSelector.InvalidSelectorException e) {
            throw LookupException.badRequest("invalid " + param + ": " + e.getMessage());
        }
    }
}
