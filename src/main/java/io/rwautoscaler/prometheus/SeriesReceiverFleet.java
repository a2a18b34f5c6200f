package io.rwautoscaler.prometheus;

import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.reconcile.PromQuery;
import io.rwautoscaler.reconcile.ReceiverFleetSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Local mode: the receive StatefulSet as kube-state-metrics describes it, since there is no Kubernetes API.
 * {@code kube_statefulset_replicas} gives the desired replicas; an HPA shows as
 * {@code kube_horizontalpodautoscaler_info} with {@code scaletargetref_kind="StatefulSet"} and its name.
 */
public final class SeriesReceiverFleet implements ReceiverFleetSource {

    private final PromQuery prometheus;
    private final String namespace;
    private final String statefulSet;

    public SeriesReceiverFleet(PromQuery prometheus, String namespace, String statefulSet) {
        this.prometheus = prometheus;
        this.namespace = namespace;
        this.statefulSet = statefulSet;
    }

    @Override
    public Observation observe(Instant now) {
        String name = namespace + "/" + statefulSet;
        String replicasQuery = "max(kube_statefulset_replicas{namespace=\"" + namespace + "\", statefulset=\"" + statefulSet + "\"})";
        List<Sample> replicas;
        try {
            replicas = prometheus.query(replicasQuery, now).vector();
        } catch (PrometheusException e) {
            return Observation.missing(name, "cannot read the StatefulSet from kube-state-metrics: " + e.getMessage());
        }
        if (replicas.isEmpty() || !replicas.get(0).isFinite()) {
            return Observation.missing(name, "StatefulSet " + name + " not found: no kube_statefulset_replicas series");
        }
        int count = (int) Math.round(replicas.get(0).value());
        String hpaQuery = "kube_horizontalpodautoscaler_info{namespace=\"" + namespace
                + "\", scaletargetref_kind=\"StatefulSet\", scaletargetref_name=\"" + statefulSet + "\"}";
        try {
            List<Sample> hpas = prometheus.query(hpaQuery, now).vector();
            if (hpas.isEmpty()) {
                return new Observation(name, Optional.of(count), false, Optional.empty(), Optional.empty());
            }
            return new Observation(name, Optional.of(count), true,
                    Optional.ofNullable(hpas.get(0).label("horizontalpodautoscaler")), Optional.empty());
        } catch (PrometheusException e) {
            // Unknown ownership is treated as owned: never patch replicas an HPA might also set.
            return new Observation(name, Optional.of(count), true,
                    Optional.of("unknown (" + e.getMessage() + "): assumed"), Optional.empty());
        }
    }
}
