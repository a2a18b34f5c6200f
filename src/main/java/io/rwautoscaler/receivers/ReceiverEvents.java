package io.rwautoscaler.receivers;

import io.rwautoscaler.kube.EventLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes Events (core/v1) about the receivers' objects, as {@code kubectl describe} shows them. The same
 * event on the same object is posted again only after {@code repeatAfter}, so a refusal that holds for hours
 * does not post one Event per cycle. Posting never fails the caller: an Event is a courtesy, the report is
 * the record.
 *
 * <p>To unify at merge with the shard tuner's Event writer (branch g-shard-loop), which posts the same kind.
 */
public final class ReceiverEvents {

    public static final String COMPONENT = "remote-write-autoscaler";
    private static final Logger LOG = Logger.getLogger(ReceiverEvents.class);

    public enum Type {
        NORMAL("Normal"), WARNING("Warning");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }
    }

    private final KubernetesClient client;
    private final Duration repeatAfter;
    private final String instance;
    private final Optional<String> cluster;
    private final Map<String, Instant> lastPosted = new ConcurrentHashMap<>();

    public ReceiverEvents(KubernetesClient client, Duration repeatAfter) {
        this(client, repeatAfter, Optional.empty());
    }

    /** @param cluster {@code autoscaler.cluster}: labels every Event ({@link EventLabels}) */
    public ReceiverEvents(KubernetesClient client, Duration repeatAfter, Optional<String> cluster) {
        this.client = client;
        this.repeatAfter = repeatAfter;
        this.instance = Optional.ofNullable(System.getenv("HOSTNAME")).orElse(COMPONENT);
        this.cluster = cluster;
    }

    /** Posts unless the same type, reason and message went out for this object less than {@code repeatAfter} ago. */
    public Optional<Event> post(HasMetadata involved, Type type, String reason, String message, Instant now) {
        String namespace = involved.getMetadata().getNamespace();
        String key = involved.getKind() + "/" + namespace + "/" + involved.getMetadata().getName() + "|" + type + "|" + reason + "|" + message;
        Instant last = lastPosted.get(key);
        if (last != null && now.isBefore(last.plus(repeatAfter)) && !now.isBefore(last)) {
            return Optional.empty();
        }
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                // kubectl's naming: object name plus a unique suffix.
                .withName(involved.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1))
                .withLabels(EventLabels.of(cluster))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(involved.getApiVersion())
                .withKind(involved.getKind())
                .withNamespace(namespace)
                .withName(involved.getMetadata().getName())
                .withUid(involved.getMetadata().getUid())
                .withResourceVersion(involved.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type.wire)
                .withReason(reason)
                // The API server rejects Event messages over 1 KiB-ish in some setups; keep it readable anyway.
                .withMessage(message.length() > 1000 ? message.substring(0, 997) + "..." : message)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build();
        try {
            Event created = client.v1().events().inNamespace(namespace).resource(event).create();
            lastPosted.put(key, now);
            return Optional.of(created);
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot post Event %s on %s/%s: %s", reason, involved.getKind(), involved.getMetadata().getName(), e.getMessage());
            return Optional.empty();
        }
    }
}
