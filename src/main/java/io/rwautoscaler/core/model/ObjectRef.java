package io.rwautoscaler.core.model;

import java.util.Objects;

/** A Kubernetes object a metric value describes. {@code namespace} is empty for cluster-scoped kinds. */
public record ObjectRef(ResourceKind kind, String namespace, String name) {
    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        namespace = kind.namespaced() ? Objects.requireNonNull(namespace, "namespace") : "";
    }

    @Override
    public String toString() {
        return kind.resource() + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
