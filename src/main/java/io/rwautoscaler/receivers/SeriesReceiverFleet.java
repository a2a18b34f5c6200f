package io.rwautoscaler.receivers;

import io.rwautoscaler.prometheus.PrometheusException;

import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.prometheus.Prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Local mode: the receive StatefulSet as kube-state-metrics describes it, since there is no Kubernetes API.
 * {@code kube_statefulset_replicas} gives the desired replicas; an HPA shows as
 * {@code kube_horizontalpodautoscaler_info} with {@code scaletargetref_kind="StatefulSet"} and its name.
 */
public final class SeriesReceiverFleet implements ReceiverFleetSource {

    private final Prometheus prometheus;
    private final String namespace;
    private final String statefulSet;

    public SeriesReceiverFleet(Prometheus prometheus, String namespace, String statefulSet) {
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
                return new Observation(name, Optional.of(count), false, Optional.empty(), Optional.empty(), Optional.empty());
            }
            String hpa = hpas.get(0).label("horizontalpodautoscaler");
            return new Observation(name, Optional.of(count), true, Optional.ofNullable(hpa),
                    Optional.of(metricsServed(hpa, now)), Optional.empty());
        } catch (PrometheusException e) {
            // Unknown ownership is treated as owned: never patch replicas an HPA might also set.
            return new Observation(name, Optional.of(count), true,
                    Optional.of("unknown (" + e.getMessage() + "): assumed"), Optional.empty(), Optional.empty());
        }
    }

    /** The HPA's ScalingActive condition as kube-state-metrics exposes it. */
    private String metricsServed(String hpa, Instant now) {
        String query = "kube_horizontalpodautoscaler_status_condition{namespace=\"" + namespace
                + "\", horizontalpodautoscaler=\"" + hpa + "\", condition=\"ScalingActive\"} == 1";
        try {
            List<Sample> conditions = prometheus.query(query, now).vector();
            if (conditions.isEmpty()) {
                return "unknown: no kube_horizontalpodautoscaler_status_condition series for ScalingActive";
            }
            String status = conditions.get(0).label("status");
            return "true".equals(status) ? "served (ScalingActive=True)" : "NOT served: ScalingActive=" + status;
        } catch (PrometheusException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
