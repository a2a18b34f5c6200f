package io.rwautoscaler.core.model;

import java.util.Map;

/** A pod as the inventory knows it: from the Kubernetes API, or in local mode from series labels. */
public record PodInfo(String namespace, String name, Map<String, String> labels, boolean ready) {
    public PodInfo {
        // Immutable and sorted; a Sample's labels (local mode: the pod's `up` series) are kept, not copied.
        labels = Sample.Labels.of(labels);
    }
}
