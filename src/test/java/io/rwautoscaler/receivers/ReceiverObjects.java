package io.rwautoscaler.receivers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The runbook's receive objects in the mock server: StatefulSet, pods, PVCs, StorageClass, HPA. */
final class ReceiverObjects {

    static final String NS = "monitoring";
    static final String STS = "thanos-receive";
    static final String CONFIGMAP = "thanos-receive-hashring";
    static final String KEY = "hashrings.json";
    static final Map<String, String> LABELS = Map.of("app", "thanos-receive");

    private final KubernetesClient client;

    ReceiverObjects(KubernetesClient client) {
        this.client = client;
    }

    /** Removes everything the tests create, so each test starts from an empty namespace. */
    void clear() {
        client.apps().statefulSets().inNamespace(NS).delete();
        client.pods().inNamespace(NS).delete();
        client.configMaps().inNamespace(NS).delete();
        client.v1().events().inNamespace(NS).delete();
        client.persistentVolumeClaims().inNamespace(NS).delete();
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).delete();
        client.storage().v1().storageClasses().delete();
    }

    StatefulSet statefulSet(int replicas) {
        return client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder()
                .withNewMetadata().withNamespace(NS).withName(STS).withLabels(LABELS).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(STS)
                .withNewSelector().withMatchLabels(LABELS).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("thanos-receive").withImage("quay.io/thanos/thanos:v0.35.1").endContainer()
                .endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withNewResources().addToRequests("storage", new Quantity("100Gi")).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec().build()).create();
    }

    StatefulSet scale(int replicas) {
        return client.apps().statefulSets().inNamespace(NS).withName(STS).edit(s -> new StatefulSetBuilder(s)
                .editSpec().withReplicas(replicas).endSpec().build());
    }

    Pod pod(int ordinal, boolean ready) {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace(NS).withName(STS + "-" + ordinal).withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("thanos-receive").withImage("quay.io/thanos/thanos:v0.35.1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
        return client.pods().inNamespace(NS).resource(pod).create();
    }

    void setReady(int ordinal, boolean ready) {
        client.pods().inNamespace(NS).withName(STS + "-" + ordinal).edit(p -> new PodBuilder(p).editStatus()
                .withConditions(new PodConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False").build())
                .endStatus().build());
    }

    void readyPods(int count) {
        for (int i = 0; i < count; i++) {
            pod(i, true);
        }
    }

    PersistentVolumeClaim pvc(int ordinal, String storageClass, String size) {
        return client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withNamespace(NS).withName("data-" + STS + "-" + ordinal).withLabels(LABELS).endMetadata()
                .withNewSpec().withStorageClassName(storageClass).withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec()
                .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity(size)).endStatus()
                .build()).create();
    }

    PersistentVolumeClaim pvc(int ordinal) {
        return client.persistentVolumeClaims().inNamespace(NS).withName("data-" + STS + "-" + ordinal).get();
    }

    void storageClass(String name, Boolean allowVolumeExpansion) {
        client.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName(name).endMetadata()
                .withProvisioner("driver.longhorn.io").withAllowVolumeExpansion(allowVolumeExpansion).build()).create();
    }

    void hpa() {
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).resource(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withNamespace(NS).withName(STS).endMetadata()
                .withNewSpec().withMinReplicas(3).withMaxReplicas(10)
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("StatefulSet").withName(STS).endScaleTargetRef()
                .endSpec().build()).create();
    }

    StatefulSet statefulSet() {
        return client.apps().statefulSets().inNamespace(NS).withName(STS).get();
    }

    ConfigMap configMap() {
        return client.configMaps().inNamespace(NS).withName(CONFIGMAP).get();
    }

    /** Events in the namespace, oldest first. */
    List<Event> events() {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .sorted(Comparator.comparing(e -> e.getMetadata().getResourceVersion() == null ? 0
                        : Long.parseLong(e.getMetadata().getResourceVersion())))
                .toList();
    }

    List<Event> events(String reason) {
        return events().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    static String endpoint(int ordinal) {
        return STS + "-" + ordinal + "." + STS + "." + NS + ".svc.cluster.local:10901";
    }
}
