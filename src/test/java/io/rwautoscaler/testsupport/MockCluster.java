package io.rwautoscaler.testsupport;

import io.rwautoscaler.shards.PrometheusKinds;
import io.rwautoscaler.shards.RemoteWriteSpecs;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.rwautoscaler.core.shards.Agent;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** The fabric8 mock API server in CRUD mode, for plain JUnit tests of the kube adapters (no Quarkus boot). */
public final class MockCluster implements AutoCloseable {

    public static final String NS = "monitoring";

    public final KubernetesServer server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
    public final NamespacedKubernetesClient client;

    public MockCluster() {
        server.before();
        client = server.getClient();
    }

    public GenericKubernetesResource create(String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        PrometheusKinds kind = PrometheusKinds.of(r.getKind());
        return client.genericKubernetesResources(kind.context()).inNamespace(r.getMetadata().getNamespace())
                .resource(r).create();
    }

    public GenericKubernetesResource get(PrometheusKinds kind, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(NS).withName(name).get();
    }

    /** Replaces the resource, as GitOps or a person editing it would. */
    public void update(GenericKubernetesResource r) {
        client.genericKubernetesResources(PrometheusKinds.of(r.getKind()).context())
                .inNamespace(r.getMetadata().getNamespace()).resource(r).update();
    }

    public Agent agent(PrometheusKinds kind, String name) {
        return RemoteWriteSpecs.read(kind.kind(), get(kind, name));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> remoteWrite(GenericKubernetesResource r) {
        return (List<Map<String, Object>>) spec(r).get("remoteWrite");
    }

    @Override
    public void close() {
        server.after();
    }
}
