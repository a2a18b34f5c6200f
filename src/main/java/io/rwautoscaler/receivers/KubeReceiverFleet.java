package io.rwautoscaler.receivers;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.util.Optional;

/** The receive StatefulSet's desired replicas, and the autoscaling/v2 HPA that targets it, if any. */
public final class KubeReceiverFleet implements ReceiverFleetSource {

    private final KubernetesClient client;
    private final String namespace;
    private final String statefulSet;

    public KubeReceiverFleet(KubernetesClient client, String namespace, String statefulSet) {
        this.client = client;
        this.namespace = namespace;
        this.statefulSet = statefulSet;
    }

    @Override
    public Observation observe(Instant now) {
        String name = namespace + "/" + statefulSet;
        StatefulSet sts;
        try {
            sts = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
        } catch (KubernetesClientException e) {
            return Observation.missing(name, "cannot read StatefulSet " + name + ": " + e.getMessage());
        }
        if (sts == null) {
            return Observation.missing(name, "StatefulSet " + name + " not found");
        }
        int replicas = replicas(sts);
        try {
            Optional<HorizontalPodAutoscaler> hpa = owningHpa(client, namespace, statefulSet);
            return new Observation(name, Optional.of(replicas), hpa.isPresent(), hpa.map(h -> h.getMetadata().getName()),
                    hpa.map(KubeReceiverFleet::metricsServed), Optional.empty());
        } catch (KubernetesClientException e) {
            // Cannot rule out an HPA (e.g. no RBAC to list them): never patch replicas it might also set.
            return new Observation(name, Optional.of(replicas), true,
                    Optional.of("unknown (cannot list HorizontalPodAutoscalers: " + e.getMessage() + "): assumed"),
                    Optional.empty(), Optional.empty());
        }
    }

    /** spec.replicas defaults to 1 when unset, as the API server defaults it. */
    static int replicas(StatefulSet sts) {
        Integer r = sts.getSpec() == null ? null : sts.getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    /**
     * Whether the HPA gets its metrics: its ScalingActive condition turns False with FailedGetPodsMetric (or
     * FailedGetResourceMetric...) when the metrics API this service serves does not answer.
     */
    static String metricsServed(HorizontalPodAutoscaler hpa) {
        if (hpa.getStatus() == null || hpa.getStatus().getConditions() == null) {
            return "unknown: the HPA has no status conditions yet";
        }
        return hpa.getStatus().getConditions().stream().filter(c -> "ScalingActive".equals(c.getType())).findFirst()
                .map(c -> "True".equals(c.getStatus()) ? "served (ScalingActive=True)"
                        : "NOT served: ScalingActive=" + c.getStatus() + " (" + c.getReason() + "): " + c.getMessage())
                .orElse("unknown: the HPA has no ScalingActive condition yet");
    }

    /** The autoscaling/v2 HPA whose scaleTargetRef is this StatefulSet. */
    public static Optional<HorizontalPodAutoscaler> owningHpa(KubernetesClient client, String namespace, String statefulSet) {
        for (HorizontalPodAutoscaler hpa : client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list().getItems()) {
            CrossVersionObjectReference ref = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
            if (ref != null && "StatefulSet".equals(ref.getKind()) && statefulSet.equals(ref.getName())
                    && (ref.getApiVersion() == null || ref.getApiVersion().startsWith("apps/"))) {
                return Optional.of(hpa);
            }
        }
        return Optional.empty();
    }
}
