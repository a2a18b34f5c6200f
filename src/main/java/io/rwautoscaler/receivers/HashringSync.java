package io.rwautoscaler.receivers;

import io.rwautoscaler.kube.Pods;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwautoscaler.kube.EventReason;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.kube.KubeEvents.Involved;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.receivers.Hashring;
import io.rwautoscaler.core.receivers.HashringLayout;
import io.rwautoscaler.core.receivers.HashringFacts;
import io.rwautoscaler.core.receivers.HashringOwnership;
import io.rwautoscaler.core.receivers.HashringPlan;
import io.rwautoscaler.core.receivers.HashringSettings;
import io.rwautoscaler.core.receivers.HashringOutcome;
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
 * it is overwritten with a Warning Event saying so, or left alone and reported when sync is off. A ConfigMap that
 * another controller manages ({@link HashringOwnership}: its managed-by label, or the field manager of its key) is
 * not written unless take-over is on: a Warning Event and the report say who manages it.
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
    private final HashringSettings settings;

    public HashringSync(KubernetesClient client, KubeEvents events, HashringLayout layout, String configMapName,
                        String key, boolean sync, boolean rollOnChange) {
        this(client, events, layout, configMapName, key, sync, rollOnChange, false);
    }

    /** @param takeOver write a ConfigMap another controller manages (its managed-by label or field manager) */
    public HashringSync(KubernetesClient client, KubeEvents events, HashringLayout layout, String configMapName,
                        String key, boolean sync, boolean rollOnChange, boolean takeOver) {
        this.client = Objects.requireNonNull(client, "client");
        this.events = Objects.requireNonNull(events, "events");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.configMapName = configMapName;
        this.key = key;
        this.settings = new HashringSettings(sync, rollOnChange, takeOver);
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
            return status(now, HashringOutcome.FAILED, Optional.empty(), List.of(), List.of(), null, false,
                    "Kubernetes API error, retried next sync: " + e.getMessage());
        }
    }

    /** Observe, decide ({@link HashringPlan}), act: the write, the Event and the roll are the plan's. */
    private HashringStatus syncOnce(Instant now, boolean leader) {
        String ns = layout.namespace();
        ConfigMap cm = client.configMaps().inNamespace(ns).withName(configMapName).get();
        String content = cm == null || cm.getData() == null ? null : cm.getData().get(key);
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(layout.statefulSet()).get();
        List<PodInfo> pods = sts == null ? List.of() : client.pods().inNamespace(ns).withLabelSelector(sts.getSpec().getSelector())
                .list().getItems().stream().map(Pods::toInfo).toList();
        HashringFacts facts = new HashringFacts(sts != null, pods, cm != null, content != null, Optional.ofNullable(parse(content)),
                cm != null && content != null && annotation(cm, HASH_ANNOTATION).filter(sha256(content)::equals).isPresent(),
                ownership(cm), sts != null && rolloutInProgress(sts));
        HashringPlan plan = HashringPlan.decide(layout, key, facts, settings, leader);

        if (!plan.outcome().writes()) {
            if (plan.event().isPresent()) {
                if (plan.outcome() == HashringOutcome.HELD_NO_READY_POD) {
                    events.post(Involved.of(sts), EventReason.HASHRING_HELD, plan.event().get(), now);
                } else {
                    events.post(Involved.of(cm), EventReason.HASHRING_TAKE_OVER_REFUSED, plan.event().get(), now);
                }
            }
            return status(now, plan, cm, false);
        }
        String json = plan.toWrite().toJson();
        String hash = sha256(json);
        Map<String, String> annotations = Map.of(HASH_ANNOTATION, hash, CHANGED_ANNOTATION, now.toString());
        ConfigMap written;
        if (plan.outcome() == HashringOutcome.CREATED) {
            written = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                    .withNewMetadata().withNamespace(ns).withName(configMapName)
                    .addToLabels(HashringOwnership.MANAGED_BY_LABEL, HashringOwnership.MANAGER)
                    .withAnnotations(annotations).endMetadata()
                    .addToData(key, json).build()).create();
        } else {
            Map<String, Object> patch = new LinkedHashMap<>();
            // resourceVersion makes the write conditional: a concurrent edit fails it (409) instead of being lost.
            patch.put("metadata", Map.of("annotations", annotations, "resourceVersion", cm.getMetadata().getResourceVersion()));
            patch.put("data", Map.of(key, json));
            written = client.configMaps().inNamespace(ns).withName(configMapName)
                    .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(HashringOwnership.MANAGER)
                            .build(), toJson(patch));
        }
        events.post(Involved.of(written), switch (plan.outcome()) {
            case CREATED -> EventReason.HASHRING_CREATED;
            case UPDATED -> EventReason.HASHRING_UPDATED;
            default -> EventReason.HASHRING_OVERWRITTEN;
        }, plan.event().orElseThrow(), now);
        LOG.infof("hashring %s %s: %s", configMapRef(), plan.outcome().name().toLowerCase(java.util.Locale.ROOT), plan.message());
        boolean rolled = plan.roll() && roll(sts, hash, plan.desiredEndpoints().size(), now);
        return status(now, plan, written, rolled);
    }

    /** The ConfigMap's managed-by label and the field managers that own its hashring key. */
    private HashringOwnership ownership(ConfigMap cm) {
        if (cm == null) {
            return HashringOwnership.none();
        }
        Map<String, String> labels = cm.getMetadata().getLabels();
        List<String> managers = new ArrayList<>();
        for (ManagedFieldsEntry entry : Optional.ofNullable(cm.getMetadata().getManagedFields()).orElse(List.of())) {
            Object data = entry.getFieldsV1() == null ? null : entry.getFieldsV1().getAdditionalProperties().get("f:data");
            if (entry.getManager() != null && data instanceof Map<?, ?> fields && fields.containsKey("f:" + key)) {
                managers.add(entry.getManager());
            }
        }
        return new HashringOwnership(Optional.ofNullable(labels == null ? null : labels.get(HashringOwnership.MANAGED_BY_LABEL)), managers);
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

    private HashringStatus status(Instant now, HashringPlan plan, ConfigMap cm, boolean rolled) {
        return status(now, plan.outcome(), plan.inSync(), plan.desiredEndpoints(), plan.currentEndpoints(), cm, rolled, plan.message());
    }

    private HashringStatus status(Instant now, HashringOutcome outcome, Optional<Boolean> inSync, List<String> desired,
                                  List<String> current, ConfigMap cm, boolean rolled, String message) {
        Optional<Instant> lastChange = cm == null ? Optional.empty() : annotation(cm, CHANGED_ANNOTATION).flatMap(HashringSync::instant);
        return new HashringStatus(now, true, settings.sync(), configMapRef(), key, outcome, inSync, desired, current, lastChange,
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
