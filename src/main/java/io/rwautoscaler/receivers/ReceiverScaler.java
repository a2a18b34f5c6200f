package io.rwautoscaler.receivers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwautoscaler.kube.EventReason;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.kube.KubeEvents.Involved;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.receivers.ActionResult;
import io.rwautoscaler.core.receivers.ReceiverChangePlan;
import io.rwautoscaler.core.receivers.ReceiverChangePlan.Verdict;
import io.rwautoscaler.core.receivers.ReceiverRecommendation;
import io.rwautoscaler.core.receivers.RuleAction;
import io.rwautoscaler.core.receivers.ScalingDecision;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Applies the receiver decision: the StatefulSet's replicas (only when no HPA owns them) and the TSDB PVCs'
 * size (only when their StorageClass allows volume expansion). Every check runs in both modes, so the
 * report says what would happen. The checks themselves are {@link ReceiverChangePlan}'s (pure): this class reads
 * the objects, asks them in the order it reads, and sends a patch in one place, {@link #send}, only when they all say
 * go (never in recommend mode, never on a non-leader) and always after a server-side dry-run ({@code dryRun=All})
 * that passed. Each change and refusal posts an Event on the StatefulSet or PVC (apply mode, leader only).
 *
 * <p>Cooldowns are annotations on the changed object, so they survive restarts and leader changes.
 */
public final class ReceiverScaler implements ReceiverActions {

    /** On the StatefulSet: when this service last changed its replicas. */
    public static final String REPLICAS_CHANGED_AT = "remote-write-autoscaler/replicas-changed-at";
    /** On a PVC: when this service last resized it. */
    public static final String STORAGE_CHANGED_AT = "remote-write-autoscaler/storage-changed-at";
    static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    static final long GI = 1024L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(ReceiverScaler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final KubeEvents events;
    private final String namespace;
    private final String statefulSet;
    private final Duration cooldown;
    private final double volumeGrowth;
    private final OptionalLong volumeMaxBytes;

    public ReceiverScaler(KubernetesClient client, KubeEvents events, String namespace, String statefulSet,
                          Duration cooldown, double volumeGrowth, OptionalLong volumeMaxBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.events = Objects.requireNonNull(events, "events");
        this.namespace = namespace;
        this.statefulSet = statefulSet;
        this.cooldown = cooldown;
        if (!(volumeGrowth > 1) || !Double.isFinite(volumeGrowth)) {
            throw new IllegalArgumentException("volume growth must be a number above 1, got " + volumeGrowth);
        }
        this.volumeGrowth = volumeGrowth;
        this.volumeMaxBytes = volumeMaxBytes;
    }

    @Override
    public List<ActionOutcome> act(ScalingDecision decision, Context context) {
        List<ActionOutcome> out = new ArrayList<>();
        for (ReceiverRecommendation r : decision.recommendations()) {
            try {
                switch (r.action()) {
                    case ADD_RECEIVERS, REMOVE_RECEIVERS -> out.add(replicas(r, context));
                    case EXPAND_VOLUME_OR_CUT_RETENTION -> out.addAll(volumes(r, context));
                    case ADD_RECEIVER_MEMORY, REMOVE_RECEIVER_MEMORY -> out.add(new ActionOutcome(r.action(), ReceiverActions.ref(r.target()),
                            r.action().name(), ActionResult.REPORT_ONLY, "not changed by this loop: receiver memory comes from the"
                            + " right-sizing report (peaks, not averages), rolled one pod at a time"));
                    case ADD_AGENT_SHARDS, REMOVE_AGENT_SHARDS -> out.add(new ActionOutcome(r.action(), ReceiverActions.ref(r.target()),
                            r.action().name(), ActionResult.REPORT_ONLY, "not changed by this loop: the shard tuner sets the agents' queueConfig"));
                }
            } catch (KubernetesClientException e) {
                out.add(new ActionOutcome(r.action(), ReceiverActions.ref(r.target()), r.action().name(), ActionResult.FAILED,
                        "Kubernetes API error, retried next cycle: " + e.getMessage()));
            }
        }
        return out;
    }

    private ActionOutcome replicas(ReceiverRecommendation r, Context c) {
        String object = "statefulset/" + namespace + "/" + statefulSet;
        int from = r.currentReplicas().orElse(-1);
        int to = r.recommendedReplicas().orElseThrow();
        String change = "replicas " + from + " → " + to;
        Optional<Verdict> target = ReceiverChangePlan.replicasTarget(r, namespace, statefulSet);
        if (target.isPresent()) {
            return outcome(r.action(), target.get().result() == ActionResult.REFUSED ? ReceiverActions.ref(r.target()) : object,
                    change, target.get());
        }
        Resource<StatefulSet> resource = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet);
        StatefulSet sts = resource.get();
        if (sts == null) {
            return new ActionOutcome(r.action(), object, change, ActionResult.FAILED, "StatefulSet " + namespace + "/" + statefulSet
                    + " disappeared since it was observed: nothing patched");
        }
        Optional<String> hpa = KubeReceiverFleet.owningHpa(client, namespace, statefulSet).map(h -> h.getMetadata().getName());
        Optional<Verdict> now = ReceiverChangePlan.replicasNow(from, KubeReceiverFleet.replicas(sts), hpa,
                ReceiverChangePlan.coolingUntil(annotation(sts, REPLICAS_CHANGED_AT), cooldown, c.now()), cooldown);
        if (now.isPresent()) {
            return outcome(r.action(), object, change, now.get());
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", Map.of("resourceVersion", sts.getMetadata().getResourceVersion(),
                "annotations", Map.of(REPLICAS_CHANGED_AT, c.now().toString())));
        patch.put("spec", Map.of("replicas", to));
        return send(r.action(), sts, resource, object, change, toJson(patch), c,
                to > from ? EventReason.SCALED_OUT_RECEIVERS : EventReason.SCALED_IN_RECEIVERS, change + ": " + r.reason()
                        + "; the hashring follows as the pods become ready");
    }

    private List<ActionOutcome> volumes(ReceiverRecommendation r, Context c) {
        String object = "statefulset/" + namespace + "/" + statefulSet;
        StatefulSet sts = client.apps().statefulSets().inNamespace(namespace).withName(statefulSet).get();
        if (sts == null) {
            return List.of(new ActionOutcome(r.action(), object, "expand volumes", ActionResult.FAILED,
                    "StatefulSet " + namespace + "/" + statefulSet + " not found: no PVC to expand"));
        }
        var templates = sts.getSpec().getVolumeClaimTemplates() == null ? List.<PersistentVolumeClaim>of()
                : sts.getSpec().getVolumeClaimTemplates();
        Optional<PersistentVolumeClaim> template = templates.stream().filter(t -> "data".equals(t.getMetadata().getName())).findFirst()
                .or(() -> templates.size() == 1 ? Optional.of(templates.get(0)) : Optional.empty());
        if (template.isEmpty()) {
            return List.of(new ActionOutcome(r.action(), object, "expand volumes", ActionResult.REFUSED, templates.isEmpty()
                    ? "the StatefulSet has no volumeClaimTemplates: the TSDB is not on a PVC; shorten retention instead"
                    : "cannot tell which volumeClaimTemplate holds the TSDB (none is named 'data')"));
        }
        List<ActionOutcome> out = new ArrayList<>();
        int replicas = KubeReceiverFleet.replicas(sts);
        for (int i = 0; i < replicas; i++) {
            String name = template.get().getMetadata().getName() + "-" + statefulSet + "-" + i;
            out.add(volume(r, name, c));
        }
        return out;
    }

    private ActionOutcome volume(ReceiverRecommendation r, String pvcName, Context c) {
        String object = "persistentvolumeclaim/" + namespace + "/" + pvcName;
        Resource<PersistentVolumeClaim> resource = client.persistentVolumeClaims().inNamespace(namespace).withName(pvcName);
        PersistentVolumeClaim pvc = resource.get();
        if (pvc == null) {
            return new ActionOutcome(r.action(), object, "expand", ActionResult.WAITING, "PVC not created yet");
        }
        var requested = pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null ? null
                : pvc.getSpec().getResources().getRequests().get("storage");
        if (requested == null) {
            return refuse(r, pvc, object, "expand", "the PVC requests no storage size", c);
        }
        long current = Quantity.bytes(requested.toString());
        var capacity = pvc.getStatus() == null || pvc.getStatus().getCapacity() == null ? null
                : pvc.getStatus().getCapacity().get("storage");
        if (ReceiverChangePlan.resizeInProgress(capacity == null ? OptionalLong.empty() : OptionalLong.of(Quantity.bytes(capacity.toString())),
                current, resizing(pvc))) {
            return new ActionOutcome(r.action(), object, "expand", ActionResult.WAITING, "a resize to " + requested
                    + " is still in progress (status.capacity " + capacity + ")");
        }
        long target = ReceiverChangePlan.volumeTarget(current, volumeGrowth, volumeMaxBytes);
        String change = "storage " + Quantity.formatMemory(current) + " → " + Quantity.formatMemory(target);
        Optional<String> atMax = ReceiverChangePlan.volumeAtMax(current, target, Quantity.formatMemory(current));
        if (atMax.isPresent()) {
            return refuse(r, pvc, object, change, atMax.get(), c);
        }
        Optional<String> refusal = storageClassRefusal(pvc);
        if (refusal.isPresent()) {
            return refuse(r, pvc, object, change, refusal.get(), c);
        }
        Optional<Verdict> cooling = ReceiverChangePlan.volumeNow(
                ReceiverChangePlan.coolingUntil(annotation(pvc, STORAGE_CHANGED_AT), cooldown, c.now()), cooldown);
        if (cooling.isPresent()) {
            return outcome(r.action(), object, change, cooling.get());
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", Map.of("resourceVersion", pvc.getMetadata().getResourceVersion(),
                "annotations", Map.of(STORAGE_CHANGED_AT, c.now().toString())));
        patch.put("spec", Map.of("resources", Map.of("requests", Map.of("storage", Quantity.formatMemory(target)))));
        return send(r.action(), pvc, resource, object, change, toJson(patch), c, EventReason.EXPANDED_VOLUME, change + ": " + r.reason()
                + "; receivers added later still get the StatefulSet's volumeClaimTemplate size (it is immutable)");
    }

    /** Empty when the PVC's StorageClass allows expansion; otherwise the reason it does not. */
    private Optional<String> storageClassRefusal(PersistentVolumeClaim pvc) {
        String className = pvc.getSpec().getStorageClassName();
        StorageClass sc;
        if (className == null) {
            sc = client.storage().v1().storageClasses().list().getItems().stream()
                    .filter(s -> s.getMetadata().getAnnotations() != null
                            && "true".equals(s.getMetadata().getAnnotations().get(DEFAULT_CLASS_ANNOTATION)))
                    .findFirst().orElse(null);
            if (sc == null) {
                return Optional.of("the PVC names no StorageClass and there is no default one: cannot tell whether it can be"
                        + " expanded; shorten retention instead");
            }
        } else if (className.isEmpty()) {
            return Optional.of("the PVC is statically provisioned (storageClassName \"\"): it cannot be expanded through"
                    + " Kubernetes; shorten retention instead");
        } else {
            sc = client.storage().v1().storageClasses().withName(className).get();
            if (sc == null) {
                return Optional.of("StorageClass " + className + " not found: cannot tell whether it allows expansion");
            }
        }
        if (!Boolean.TRUE.equals(sc.getAllowVolumeExpansion())) {
            return Optional.of("StorageClass " + sc.getMetadata().getName() + " does not allow volume expansion"
                    + " (allowVolumeExpansion is not true): shorten the receivers' retention instead, or move to a class that allows it");
        }
        return Optional.empty();
    }

    private static boolean resizing(PersistentVolumeClaim pvc) {
        if (pvc.getStatus() == null || pvc.getStatus().getConditions() == null) {
            return false;
        }
        for (PersistentVolumeClaimCondition cond : pvc.getStatus().getConditions()) {
            if (("Resizing".equals(cond.getType()) || "FileSystemResizePending".equals(cond.getType()))
                    && "True".equals(cond.getStatus())) {
                return true;
            }
        }
        return false;
    }

    private ActionOutcome refuse(ReceiverRecommendation r, HasMetadata object, String ref, String change, String why, Context c) {
        if (ReceiverChangePlan.announcesRefusal(c.apply(), c.leader())) {
            events.post(Involved.of(object), EventReason.VOLUME_EXPANSION_REFUSED, change + " refused: " + why, c.now());
        }
        return new ActionOutcome(r.action(), ref, change, ActionResult.REFUSED, why);
    }

    /** The single point where a patch is sent, or not. */
    private <T extends HasMetadata> ActionOutcome send(RuleAction action, T object, Resource<T> resource, String ref,
                                                       String change, String patch, Context c, EventReason reason, String message) {
        Optional<Verdict> held = ReceiverChangePlan.atPatchPoint(c.apply(), c.leader(), c.refusal(), change);
        if (held.isPresent()) {
            return outcome(action, ref, change, held.get());
        }
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        try {
            resource.dryRun().patch(merge, patch);
        } catch (KubernetesClientException e) {
            String why = "server-side dry-run rejected " + change + ": " + e.getMessage();
            events.post(Involved.of(object), reason.refused(), why, c.now());
            return new ActionOutcome(action, ref, change, ActionResult.REFUSED, why);
        }
        try {
            T patched = resource.patch(merge, patch);
            events.post(Involved.of(patched), reason, message, c.now());
            LOG.infof("%s %s: %s", ref, change, message);
            return new ActionOutcome(action, ref, change, ActionResult.APPLIED, message);
        } catch (KubernetesClientException e) {
            String why = change + " failed after a successful dry-run: " + e.getMessage();
            events.post(Involved.of(object), reason.failed(), why, c.now());
            return new ActionOutcome(action, ref, change, ActionResult.FAILED, why);
        }
    }

    private static Optional<String> annotation(HasMetadata object, String annotation) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(annotation));
    }

    private static ActionOutcome outcome(RuleAction action, String object, String change, Verdict verdict) {
        return new ActionOutcome(action, object, change, verdict.result(), verdict.detail());
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialize", e);
        }
    }
}
