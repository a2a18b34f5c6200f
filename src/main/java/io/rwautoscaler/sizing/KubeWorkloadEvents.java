package io.rwautoscaler.sizing;

import io.rwautoscaler.kube.EventLabels;
import io.rwautoscaler.runtime.Leadership;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.sizing.WorkloadEvents;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** core/v1 Events on workloads, as {@code kubectl describe} shows them; only the leader writes them. */
public final class KubeWorkloadEvents implements WorkloadEvents {

    static final String COMPONENT = "remote-write-autoscaler";

    private final KubernetesClient client;
    private final Leadership leadership;
    private final Optional<String> cluster;

    public KubeWorkloadEvents(KubernetesClient client, Leadership leadership) {
        this(client, leadership, Optional.empty());
    }

    /** @param cluster {@code autoscaler.cluster}: labels every Event ({@link EventLabels}) */
    public KubeWorkloadEvents(KubernetesClient client, Leadership leadership, Optional<String> cluster) {
        this.client = client;
        this.leadership = leadership;
        this.cluster = cluster;
    }

    @Override
    public boolean record(ObjectRef workload, String reason, String message, Instant at) {
        if (!leadership.isLeader()) {
            return false;
        }
        String time = at.truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                // The name kubectl and client-go's recorder use: object name, a dot, a hex timestamp.
                .withName(workload.name() + "." + Long.toHexString(at.toEpochMilli() * 1_000_000L + at.getNano() % 1_000_000))
                .withNamespace(workload.namespace())
                .withLabels(EventLabels.of(cluster))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(workload.kind().apiVersion())
                .withKind(workload.kind().kind())
                .withName(workload.name())
                .withNamespace(workload.namespace())
                .endInvolvedObject()
                .withReason(reason)
                .withMessage(message)
                .withType("Normal")
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
        client.v1().events().inNamespace(workload.namespace()).resource(event).create();
        return true;
    }
}
