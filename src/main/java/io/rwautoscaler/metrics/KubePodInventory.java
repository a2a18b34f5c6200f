package io.rwautoscaler.metrics;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.kube.Pods;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pods from the Kubernetes API: one list per namespace the series mention, one for the receivers. */
public final class KubePodInventory implements PodInventory {

    private final KubernetesClient client;
    private final String receiverSelector;

    public KubePodInventory(KubernetesClient client, String receiverSelector) {
        this.client = client;
        this.receiverSelector = receiverSelector;
    }

    @Override
    public List<PodInfo> pods(Set<String> namespaces, Collection<Sample> seriesSeen) {
        Map<String, PodInfo> out = new LinkedHashMap<>();
        for (String ns : namespaces) {
            client.pods().inNamespace(ns).list().getItems().forEach(p -> out.put(key(p), Pods.toInfo(p)));
        }
        if (!receiverSelector.isBlank()) {
            client.pods().inAnyNamespace().withLabelSelector(receiverSelector).list().getItems()
                    .forEach(p -> out.put(key(p), Pods.toInfo(p)));
        }
        return List.copyOf(out.values());
    }

    private static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }
}
