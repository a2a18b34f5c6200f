package io.rwautoscaler.core.model;

import java.util.Map;
import java.util.TreeMap;

/** A pod as the inventory knows it: from the Kubernetes API, or in local mode from series labels. */
public record PodInfo(String namespace, String name, Map<String, String> labels, boolean ready) {
    public PodInfo {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
