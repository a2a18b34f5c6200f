package io.rwautoscaler.metrics;

import io.rwautoscaler.prometheus.Prometheus;

import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Local mode: the pods are the scrape targets, from one query (default {@code up}); a pod's labels are its
 * target labels, and it is ready when the target is up.
 */
public final class SeriesPodInventory implements PodInventory {

    private final Prometheus prometheus;
    private final String query;
    private final ObjectLabels labels;

    public SeriesPodInventory(Prometheus prometheus, String query, ObjectLabels labels) {
        this.prometheus = prometheus;
        this.query = query;
        this.labels = labels;
    }

    @Override
    public List<PodInfo> pods(Set<String> namespaces, Collection<Sample> seriesSeen) {
        Map<String, PodInfo> pods = new LinkedHashMap<>();
        for (Sample s : prometheus.query(query).vector()) {
            String ns = s.label(labels.namespace());
            String pod = s.label(labels.pod());
            if (ns == null || pod == null) {
                continue;
            }
            boolean ready = s.value() == 1.0;
            // A pod scraped through several jobs is ready if any of its targets is up.
            pods.merge(ns + "/" + pod, new PodInfo(ns, pod, s.labels(), ready),
                    (a, b) -> new PodInfo(ns, pod, a.labels(), a.ready() || b.ready()));
        }
        return new ArrayList<>(pods.values());
    }
}
