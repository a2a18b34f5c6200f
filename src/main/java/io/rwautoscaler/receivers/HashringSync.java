package io.rwautoscaler.receivers;

import io.rwautoscaler.kube.Pods;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwautoscaler.kube.EventReason;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.kube.KubeEvents.Involved;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.receivers.Hashring;
import io.rwautoscaler.core.receivers.HashringLayout;
import io.rwautoscaler.receivers.HashringStatus.Outcome;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the Thanos Receive hashring ConfigMap equal to {@link Hashring#desired} of the receive StatefulSet's
 * ready pods. Writes only when membership differs ({@link Hashring#sameMembership}), so an unchanged fleet
 * causes no write, no resourceVersion bump and no reload.
 *
 * <p>Each write records the SHA-256 of what it wrote in an annotation on the ConfigMap. Content whose hash
 * differs was written by someone else (edited by hand, or a ConfigMap this service has not written yet):
 * it is overwritten with a Warning Event saying so, or left alone and reported when sync is off.
 *
 * <p>Never writes an empty hashring (no ready pod): Thanos would drop every write; the old one is kept.
 * With roll-on-change, a changed hashring also bumps an annotation on the pod template so the receivers
 * restart and read it; while that rollout runs the hashring is held, since each restarting pod turns
 * unready and would otherwise trigger another roll.
 */
public final class HashringSync {

    /** On the ConfigMap: SHA-256 of the content this service last wrote. */
    public static final String HASH_ANNOTATION = "remote-write-autoscaler/hashring-hash";
    /** On the ConfigMap: when this service last changed it. */
    public static final String CHANGED_ANNOTATION = "remote-write-autoscaler/hashring-changed-at";
    /** On the StatefulSet's pod template (roll-on-change): the hash of the hashring the pods should read. */
    public static final String ROLL_ANNOTATION = "remote-write-autoscaler/hashring-hash";

    private static final Logger LOG = Logger.getLogger(HashringSync.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final KubeEvents events;
    private final HashringLayout layout;
    private final String configMapName;
    private final String key;
    private final boolean sync;
    private final boolean rollOnChange;

    public HashringSync(KubernetesClient client, KubeEvents events, HashringLayout layout, String configMapName,
                        String key, boolean sync, boolean rollOnChange) {
        this.client = Objects.requireNonNull(client, "client");
        this.events = Objects.requireNonNull(events, "events");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.configMapName = configMapName;
        this.key = key;
        this.sync = sync;
        this.rollOnChange = rollOnChange;
    }

    public String configMapRef() {
        return layout.namespace() + "/" + configMapName;
    }

    /** One comparison, and a write when needed and allowed. Never throws. */
    public HashringStatus sync(Instant now, boolean leader) {
        try {
            return syncOnce(now, leader);
        } catch (KubernetesClientException e) {
            LOG.warnf("hashring sync of %s failed: %s", configMapRef(), e.getMessage());
            return status(now, Outcome.FAILED, Optional.empty(), List.of(), List.of(), null, false,
                    "Kubernetes API error, retried next sync: " + e.getMessage());
        }
    }

    private HashringStatus syncOnce(Instant now, boolean leader) {
        String ns = layout.namespace();
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(configMapName).get();
        String content = cm == null || cm.getData() == null ? null : cm.getData().get(key);
        List<?> parsed = parse(content);
        List<String> current = Hashring.parse(parsed).map(HashringSync::endpoints).orElse(List.of());

        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(layout.statefulSet()).get();
        if (sts == null) {
            return status(now, Outcome.STATEFULSET_MISSING, Optional.empty(), List.of(), current, cm, false,
                    "StatefulSet " + ns + "/" + layout.statefulSet() + " not found: nothing written, the ConfigMap is left as it is");
        }
        List<PodInfo> pods = client.pods().inNamespace(ns).withLabelSelector(sts.getSpec().getSelector()).list().getItems()
                .stream().map(Pods::toInfo).toList();
        Hashring desired = Hashring.desired(layout, pods);
        List<String> desiredEndpoints = endpoints(desired);

        if (!desired.servesEveryHashring()) {
            String why = "no ready pod of StatefulSet " + ns + "/" + layout.statefulSet() + " (" + pods.size()
                    + " pods): keeping the current hashring, because an empty one would drop every write";
            if (leader) {
                events.post(Involved.of(sts), EventReason.HASHRING_HELD, why, now);
            }
            return status(now, Outcome.HELD_NO_READY_POD, Optional.of(false), desiredEndpoints, current, cm, false, why);
        }
        if (content != null && Hashring.sameMembership(parsed, desired)) {
            return status(now, Outcome.IN_SYNC, Optional.of(true), desiredEndpoints, current, cm, false,
                    desiredEndpoints.size() + " ready receivers, all in the hashring");
        }

        boolean ours = cm != null && content != null && annotation(cm, HASH_ANNOTATION).filter(sha256(content)::equals).isPresent();
        String difference = cm == null ? "ConfigMap missing"
                : content == null ? "key " + key + " missing"
                : ours ? "membership changed: " + change(current, desiredEndpoints)
                : "edited by hand (not what remote-write-autoscaler last wrote)";
        if (cm != null && rollOnChange && rolloutInProgress(sts)) {
            return status(now, Outcome.HELD_ROLLOUT, Optional.of(false), desiredEndpoints, current, cm, false,
                    difference + "; a rollout of the receivers is running: the hashring waits for it to finish");
        }
        if (!sync) {
            return status(now, Outcome.OUT_OF_SYNC, Optional.of(false), desiredEndpoints, current, cm, false,
                    difference + "; left alone: autoscaler.receivers.hashring.sync=false");
        }
        if (!leader) {
            return status(now, Outcome.OUT_OF_SYNC, Optional.of(false), desiredEndpoints, current, cm, false,
                    difference + "; not the leader: the leader writes it");
        }

        String json = desired.toJson();
        String hash = sha256(json);
        Map<String, String> annotations = Map.of(HASH_ANNOTATION, hash, CHANGED_ANNOTATION, now.toString());
        Outcome outcome;
        ConfigMap written;
        if (cm == null) {
            written = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                    .withNewMetadata().withNamespace(ns).withName(configMapName)
                    .addToLabels("app.kubernetes.io/managed-by", KubeEvents.COMPONENT)
                    .withAnnotations(annotations).endMetadata()
                    .addToData(key, json).build()).create();
            outcome = Outcome.CREATED;
            events.post(Involved.of(written), EventReason.HASHRING_CREATED,
                    "created " + key + " with the " + desiredEndpoints.size() + " ready receivers of " + layout.statefulSet(), now);
        } else {
            Map<String, Object> patch = new LinkedHashMap<>();
            // resourceVersion makes the write conditional: a concurrent edit fails it (409) instead of being lost.
            patch.put("metadata", Map.of("annotations", annotations, "resourceVersion", cm.getMetadata().getResourceVersion()));
            patch.put("data", Map.of(key, json));
            written = client.configMaps().inNamespace(ns).withName(configMapName)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), toJson(patch));
            if (ours) {
                outcome = Outcome.UPDATED;
                events.post(Involved.of(written), EventReason.HASHRING_UPDATED,
                        key + ": " + change(current, desiredEndpoints), now);
            } else {
                outcome = Outcome.OVERWRITTEN;
                events.post(Involved.of(written), EventReason.HASHRING_OVERWRITTEN,
                        key + " was " + (content == null ? "missing" : "edited by hand (it is not what remote-write-autoscaler last wrote)")
                                + "; overwritten with the " + desiredEndpoints.size() + " ready receivers of " + layout.statefulSet()
                                + ". To edit it by hand, set autoscaler.receivers.hashring.sync=false", now);
            }
        }
        LOG.infof("hashring %s %s: %s", configMapRef(), outcome.name().toLowerCase(java.util.Locale.ROOT), difference);
        boolean rolled = rollOnChange && roll(sts, hash, desiredEndpoints.size(), now);
        return status(now, outcome, Optional.of(true), desiredEndpoints, desiredEndpoints, written, rolled, difference);
    }

    /** Bumps the pod template annotation, so the StatefulSet rolls its pods one at a time. */
    private boolean roll(StatefulSet sts, String hash, int endpoints, Instant now) {
        String patch = toJson(Map.of("spec", Map.of("template", Map.of("metadata",
                Map.of("annotations", Map.of(ROLL_ANNOTATION, hash))))));
        try {
            StatefulSet patched = client.apps().statefulSets().inNamespace(layout.namespace()).withName(layout.statefulSet())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
            events.post(Involved.of(patched), EventReason.ROLLING_FOR_HASHRING,
                    "hashring changed (" + endpoints + " endpoints): rolling the receivers so they read it", now);
            return true;
        } catch (KubernetesClientException e) {
            LOG.warnf("hashring changed but the roll of %s failed: %s", layout.statefulSet(), e.getMessage());
            return false;
        }
    }

    static boolean rolloutInProgress(StatefulSet sts) {
        var status = sts.getStatus();
        if (status == null) {
            return false;
        }
        if (status.getObservedGeneration() != null && sts.getMetadata().getGeneration() != null
                && status.getObservedGeneration() < sts.getMetadata().getGeneration()) {
            return true;
        }
        return status.getUpdateRevision() != null && status.getCurrentRevision() != null
                && !status.getUpdateRevision().equals(status.getCurrentRevision());
    }

    private HashringStatus status(Instant now, Outcome outcome, Optional<Boolean> inSync, List<String> desired,
                                  List<String> current, ConfigMap cm, boolean rolled, String message) {
        Optional<Instant> lastChange = cm == null ? Optional.empty() : annotation(cm, CHANGED_ANNOTATION).flatMap(HashringSync::instant);
        return new HashringStatus(now, true, sync, configMapRef(), key, outcome, inSync, desired, current, lastChange,
                rolled, message);
    }

    private static List<?> parse(String content) {
        if (content == null) {
            return null;
        }
        try {
            return JSON.readValue(content, List.class);
        } catch (JsonProcessingException e) {
            return null; // not JSON or not a list: differs from anything desired, so it is rewritten
        }
    }

    private static List<String> endpoints(Hashring ring) {
        return ring.entries().stream().flatMap(e -> e.endpoints().stream()).distinct().toList();
    }

    private static String change(List<String> before, List<String> after) {
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        List<String> removed = new ArrayList<>(before);
        removed.removeAll(after);
        StringBuilder out = new StringBuilder(before.size() + " → " + after.size() + " endpoints");
        if (!added.isEmpty()) {
            out.append(", added ").append(String.join(", ", shortNames(added)));
        }
        if (!removed.isEmpty()) {
            out.append(", removed ").append(String.join(", ", shortNames(removed)));
        }
        return out.toString();
    }

    /** {@code thanos-receive-3} for {@code thanos-receive-3.thanos-receive.monitoring.svc.cluster.local:10901}. */
    private static List<String> shortNames(List<String> endpoints) {
        return endpoints.stream().map(e -> e.contains(".") ? e.substring(0, e.indexOf('.')) : e).toList();
    }

    private static Optional<String> annotation(ConfigMap cm, String name) {
        Map<String, String> a = cm.getMetadata().getAnnotations();
        return a == null ? Optional.empty() : Optional.ofNullable(a.get(name));
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialize", e);
        }
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
