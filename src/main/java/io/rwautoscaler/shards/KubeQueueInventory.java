package io.rwautoscaler.shards;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rwautoscaler.core.shards.Agent;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Agents from the Kubernetes API: every PrometheusAgent and Prometheus resource in the configured namespaces (or
 * all), one list call per kind and namespace. A kind whose CRD is not installed is simply absent; any other API
 * error fails the cycle, which the loop reports and retries on its next run.
 */
public final class KubeQueueInventory implements QueueInventory {

    private static final Logger LOG = Logger.getLogger(KubeQueueInventory.class);

    private final KubernetesClient client;
    private final List<String> namespaces;

    /** @param namespaces where to look; empty = every namespace */
    public KubeQueueInventory(KubernetesClient client, List<String> namespaces) {
        this.client = client;
        this.namespaces = List.copyOf(namespaces);
    }

    @Override
    public List<Agent> agents(ObservedQueues observed) {
        List<Agent> agents = new ArrayList<>();
        for (PrometheusKinds kind : PrometheusKinds.all()) {
            for (GenericKubernetesResource r : list(kind)) {
                agents.add(RemoteWriteSpecs.read(kind.kind(), r));
            }
        }
        agents.sort(Comparator.comparing(Agent::namespace).thenComparing(Agent::name).thenComparing(Agent::kind));
        return agents;
    }

    private List<GenericKubernetesResource> list(PrometheusKinds kind) {
        try {
            if (namespaces.isEmpty()) {
                return client.genericKubernetesResources(kind.context()).inAnyNamespace().list().getItems();
            }
            List<GenericKubernetesResource> all = new ArrayList<>();
            for (String ns : namespaces) {
                all.addAll(client.genericKubernetesResources(kind.context()).inNamespace(ns).list().getItems());
            }
            return all;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.debugf("%s not served by the API (CRD not installed?): none tuned", kind.apiVersion());
                return List.of();
            }
            throw e;
        }
    }
}
