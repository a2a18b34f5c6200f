package io.rwautoscaler.metrics;

import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Where pods and their labels come from: the Kubernetes API, or (local mode) series labels. */
public interface PodInventory {

    /**
     * Pods worth knowing this cycle: those in the namespaces the series mention, and the receivers.
     *
     * @param namespaces namespaces that appear in this cycle's series
     */
    List<PodInfo> pods(Set<String> namespaces, Collection<Sample> seriesSeen);
}
