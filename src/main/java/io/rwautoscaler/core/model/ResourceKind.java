package io.rwautoscaler.core.model;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Kubernetes resource type as the metrics APIs name it in paths ({@code pods}, {@code deployments.apps})
 * and as they describe it in {@code describedObject} (kind and apiVersion).
 */
public record ResourceKind(String group, String version, String resource, String singular, String kind, boolean namespaced) {

    public static final ResourceKind PODS = new ResourceKind("", "v1", "pods", "pod", "Pod", true);
    public static final ResourceKind SERVICES = new ResourceKind("", "v1", "services", "service", "Service", true);
    public static final ResourceKind NAMESPACES = new ResourceKind("", "v1", "namespaces", "namespace", "Namespace", false);
    public static final ResourceKind NODES = new ResourceKind("", "v1", "nodes", "node", "Node", false);
    public static final ResourceKind DEPLOYMENTS = new ResourceKind("apps", "v1", "deployments", "deployment", "Deployment", true);
    public static final ResourceKind STATEFULSETS = new ResourceKind("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true);
    public static final ResourceKind DAEMONSETS = new ResourceKind("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true);

    public static final List<ResourceKind> KNOWN = List.of(PODS, SERVICES, NAMESPACES, NODES, DEPLOYMENTS, STATEFULSETS, DAEMONSETS);

    /** {@code describedObject.apiVersion}: "/v1" for the core group, as the upstream adapters write it. */
    public String apiVersion() {
        return group + "/" + version;
    }

    /** The name used in paths and discovery: {@code pods}, {@code deployments.apps}. */
    public String qualifiedResource() {
        return group.isEmpty() ? resource : resource + "." + group;
    }

    /**
     * Resolves a path segment the way kube-apiserver clients send it: plural or singular, with or without
     * the group suffix, any case.
     */
    public static Optional<ResourceKind> fromPath(String segment) {
        if (segment == null || segment.isEmpty()) {
            return Optional.empty();
        }
        String s = segment.toLowerCase(Locale.ROOT);
        String name = s;
        String group = null;
        int dot = s.indexOf('.');
        if (dot > 0) {
            name = s.substring(0, dot);
            group = s.substring(dot + 1);
        }
        for (ResourceKind k : KNOWN) {
            boolean nameMatches = k.resource.equals(name) || k.singular.equals(name);
            boolean groupMatches = group == null || group.equals(k.group);
            if (nameMatches && groupMatches) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
