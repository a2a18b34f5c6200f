package io.rwautoscaler.kube;

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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one writer of core/v1 Events, as {@code kubectl describe} shows them: one component name, one naming, one
 * truncation, the cluster label ({@link EventLabels}), and one rule for repeats.
 *
 * <p>The rule: for one subject on one object (a queue of an agent, a reason and message on a ConfigMap) the
 * writer remembers the situation it last posted. The same situation is not posted again until
 * {@code repeatAfter} has passed (never, when absent), so a refusal that holds for an hour is not sixty Events;
 * a new situation is posted at once. A failed write is forgotten, so the next cycle tries again. Posting never
 * throws: an Event is a courtesy, the report is the record. Without an API (local mode, or an object that is
 * only a pod seen in series) the Event goes to the log.
 */
public final class KubeEvents {

    public static final String COMPONENT = "remote-write-autoscaler";
    private static final Logger LOG = Logger.getLogger(KubeEvents.class);
    private static final int MAX_MESSAGE = 1024;

    /** What an Event is about: an object the API knows ({@code local} false) or one it does not. */
    public record Involved(String apiVersion, String kind, String namespace, String name, String uid,
                           String resourceVersion, boolean local) {
        public Involved {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }

        public static Involved of(HasMetadata o) {
            return new Involved(o.getApiVersion(), o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName(),
                    o.getMetadata().getUid(), o.getMetadata().getResourceVersion(), false);
        }

        public static Involved of(String apiVersion, String kind, String namespace, String name, String uid) {
            return new Involved(apiVersion, kind, namespace, name, uid == null || uid.isEmpty() ? null : uid, null,
                    false);
        }

        public static Involved local(String kind, String namespace, String name) {
            return new Involved(null, kind, namespace, name, null, null, true);
        }

        String id() {
            return kind + "/" + namespace + "/" + name;
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /** The Event to write for a situation. */
    public record Notice(EventReason reason, String message) {
        public Notice {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    private record Posted(String situation, Instant at) {
    }

    private final Optional<KubernetesClient> client;
    private final String instance;
    private final Optional<String> cluster;
    private final Optional<Duration> repeatAfter;
    private final Map<String, Posted> posted = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param instance    this replica's identity, as {@code reportingInstance}
     * @param cluster     {@code autoscaler.cluster}: labels every Event ({@link EventLabels})
     * @param repeatAfter when the same situation is posted again; empty: never while it lasts
     */
    public KubeEvents(Optional<KubernetesClient> client, String instance, Optional<String> cluster,
                      Optional<Duration> repeatAfter) {
        this.client = Objects.requireNonNull(client, "client");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.repeatAfter = Objects.requireNonNull(repeatAfter, "repeatAfter");
    }

    /** The Event as a subject of its own: the same reason and message on the same object repeat by the rule. */
    public boolean post(Involved object, EventReason reason, String message, Instant now) {
        return post(object, reason.wireName() + "|" + message, "", Optional.of(new Notice(reason, message)), now);
    }

    /**
     * The situation of {@code subject} on {@code object} this cycle; {@code notice} empty when it deserves no Event
     * (it still ends the previous situation, so that one is posted again when it comes back).
     *
     * @return whether an Event was written (or logged) now
     */
    public boolean post(Involved object, String subject, String situation, Optional<Notice> notice, Instant now) {
        String key = object.id() + "|" + subject;
        Posted last = posted.get(key);
        if (last != null && last.situation().equals(situation) && !repeatDue(last.at(), now)) {
            return false;
        }
        posted.put(key, new Posted(situation, now));
        if (notice.isEmpty()) {
            return false;
        }
        Notice n = notice.get();
        if (client.isEmpty() || object.local()) {
            LOG.infof("%s %s on %s: %s", n.reason().type(), n.reason().wireName(), object, n.message());
            return true;
        }
        try {
            client.get().v1().events().inNamespace(object.namespace()).resource(build(object, n, now)).create();
            return true;
        } catch (KubernetesClientException e) {
            // Forgotten, so the next cycle tries again.
            posted.remove(key);
            LOG.warnf("cannot write Event %s on %s: HTTP %d %s", n.reason().wireName(), object, e.getCode(),
                    e.getMessage());
            return false;
        }
    }

    private boolean repeatDue(Instant last, Instant now) {
        // A clock that went back posts again rather than staying silent until it catches up.
        return now.isBefore(last) || repeatAfter.map(d -> !now.isBefore(last.plus(d))).orElse(false);
    }

    Event build(Involved object, Notice notice, Instant now) {
        String message = notice.message().length() <= MAX_MESSAGE ? notice.message()
                : notice.message().substring(0, MAX_MESSAGE - 1) + "…";
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(object.namespace())
                // client-go's naming: the object's name, a dot, a unique hex suffix.
                .withName(object.name() + "." + Long.toHexString(now.toEpochMilli())
                        + Long.toHexString(sequence.incrementAndGet()))
                .withLabels(EventLabels.of(cluster))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(object.apiVersion())
                .withKind(object.kind())
                .withNamespace(object.namespace())
                .withName(object.name())
                .withUid(object.uid())
                .withResourceVersion(object.resourceVersion())
                .endInvolvedObject()
                .withReason(notice.reason().wireName())
                .withType(notice.reason().type())
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
