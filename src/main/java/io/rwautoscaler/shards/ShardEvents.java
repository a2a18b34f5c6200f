package io.rwautoscaler.shards;

import io.rwautoscaler.kube.EventLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueId;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * core/v1 Events on the Prometheus/PrometheusAgent resource for each change and each refusal, written when a
 * queue's situation changes, not every cycle it lasts: a refusal that holds for an hour is one event, not sixty.
 * Local mode has no API: the event goes to the log.
 */
public final class ShardEvents {

    private static final Logger LOG = Logger.getLogger(ShardEvents.class);
    public static final String COMPONENT = "remote-write-autoscaler";
    private static final int MAX_MESSAGE = 1024;

    /** @param type {@code Normal} or {@code Warning} */
    public record Spec(String reason, String type, String message) {
        public Spec {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }

        public static Spec normal(String reason, String message) {
            return new Spec(reason, "Normal", message);
        }

        public static Spec warning(String reason, String message) {
            return new Spec(reason, "Warning", message);
        }
    }

    private final Optional<KubernetesClient> client;
    private final String instance;
    private final Optional<String> cluster;
    private final Map<QueueId, String> lastKey = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** @param instance this replica's identity, as {@code reportingInstance} */
    public ShardEvents(Optional<KubernetesClient> client, String instance) {
        this(client, instance, Optional.empty());
    }

    /** @param cluster {@code autoscaler.cluster}: labels every Event ({@link EventLabels}) */
    public ShardEvents(Optional<KubernetesClient> client, String instance, Optional<String> cluster) {
        this.client = Objects.requireNonNull(client, "client");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    /**
     * The queue's situation this cycle. {@code key} identifies it (state, outcome, recommended config); when it is
     * the same as last time nothing happens, otherwise the event, if any, is written.
     *
     * @return whether an event was written now
     */
    public boolean report(Agent agent, QueueId queue, String key, Optional<Spec> event, Instant now) {
        String previous = lastKey.put(queue, key);
        if (key.equals(previous) || event.isEmpty()) {
            return false;
        }
        Spec spec = event.get();
        if (client.isEmpty() || agent.isLocal()) {
            LOG.infof("%s %s on %s: %s", spec.type(), spec.reason(), queue, spec.message());
            return true;
        }
        try {
            client.get().v1().events().inNamespace(agent.namespace()).resource(build(agent, spec, now)).create();
            return true;
        } catch (KubernetesClientException e) {
            // Forget the key so the next cycle tries again.
            lastKey.remove(queue, key);
            LOG.warnf("cannot write event %s on %s: HTTP %d %s", spec.reason(), agent, e.getCode(), e.getMessage());
            return false;
        }
    }

    Event build(Agent agent, Spec spec, Instant now) {
        String message = spec.message().length() <= MAX_MESSAGE ? spec.message()
                : spec.message().substring(0, MAX_MESSAGE - 1) + "…";
        String time = now.toString();
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(agent.namespace())
                .withName(agent.name() + "." + Long.toHexString(now.toEpochMilli()) + Long.toHexString(
                        sequence.incrementAndGet()))
                .withLabels(EventLabels.of(cluster))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(PrometheusKinds.of(agent.kind()).apiVersion())
                .withKind(agent.kind())
                .withNamespace(agent.namespace())
                .withName(agent.name())
                .withUid(agent.uid().isEmpty() ? null : agent.uid())
                .endInvolvedObject()
                .withReason(spec.reason())
                .withType(spec.type())
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
    }
}
