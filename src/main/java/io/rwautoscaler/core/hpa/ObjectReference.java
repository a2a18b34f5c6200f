package io.rwautoscaler.core.hpa;

import java.util.Objects;

/** {@code autoscaling/v2 CrossVersionObjectReference}: the object an Object metric describes. */
public record ObjectReference(String apiVersion, String kind, String name) {
    public ObjectReference {
        apiVersion = apiVersion == null ? "" : apiVersion;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }
}
