package io.rwautoscaler.shards;

import io.rwautoscaler.testsupport.MockCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.RemoteWriteEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.rwautoscaler.testsupport.MockCluster.NS;
import static io.rwautoscaler.testsupport.MockCluster.remoteWrite;
import static io.rwautoscaler.testsupport.MockCluster.spec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The patch touches the queueConfig fields that change in the entry decided on, and nothing else; it never lands on
 * another entry when the list moved, and recommend mode never sends it.
 */
class QueueConfigPatcherTest {

    static final String AGENT = """
            apiVersion: monitoring.coreos.com/v1alpha1
            kind: PrometheusAgent
            metadata: {name: agent, namespace: monitoring, labels: {team: obs}}
            spec:
              replicas: 2
              scrapeInterval: 30s
              remoteWrite:
              - name: backup
                url: http://backup/api/v1/write
                queueConfig: {maxShards: 5}
              - name: thanos
                url: http://thanos-receive-lb:19291/api/v1/receive
                writeRelabelConfigs: [{action: drop, regex: go_.*, sourceLabels: [__name__]}]
                queueConfig: {minShards: 10, maxShards: 100, capacity: 20000, batchSendDeadline: 5s, retryOnRateLimit: true}
              - url: http://no-queue-config/api/v1/write
            """;

    final MockCluster cluster = new MockCluster();
    final QueueConfigPatcher apply = new QueueConfigPatcher(Optional.of(cluster.client), ShardsConfig.Mode.APPLY);

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void patchesOnlyTheChangedFieldsOfTheMatchingEntryAndLeavesTheRestUnchanged() throws Exception {
        GenericKubernetesResource before = cluster.create(AGENT);
        Agent agent = cluster.agent(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        RemoteWriteEntry thanos = agent.entries().get(1);
        QueueConfig next = thanos.config().withMaxShards(200).withMaxSamplesPerSend(4000);

        QueueConfigPatcher.Result r = apply.apply(agent, thanos, thanos.config(), next);

        assertThat(r.outcome()).isEqualTo(QueueConfigPatcher.Outcome.PATCHED);
        JsonNode ops = new ObjectMapper().readTree(r.patch().orElseThrow());
        assertThat(ops.toString()).isEqualTo("[{\"op\":\"test\",\"path\":\"/spec/remoteWrite/1/url\",\"value\":"
                + "\"http://thanos-receive-lb:19291/api/v1/receive\"},"
                + "{\"op\":\"test\",\"path\":\"/spec/remoteWrite/1/name\",\"value\":\"thanos\"},"
                + "{\"op\":\"test\",\"path\":\"/spec/remoteWrite/1/queueConfig/maxShards\",\"value\":100},"
                + "{\"op\":\"add\",\"path\":\"/spec/remoteWrite/1/queueConfig/maxShards\",\"value\":200},"
                + "{\"op\":\"add\",\"path\":\"/spec/remoteWrite/1/queueConfig/maxSamplesPerSend\",\"value\":4000}]");

        GenericKubernetesResource after = cluster.get(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        Map<String, Object> expected = spec(before);
        @SuppressWarnings("unchecked")
        Map<String, Object> qc = (Map<String, Object>) remoteWrite(before).get(1).get("queueConfig");
        qc.put("maxShards", 200);
        qc.put("maxSamplesPerSend", 4000);
        assertThat(spec(after)).isEqualTo(expected);
        assertThat(after.getMetadata().getLabels()).isEqualTo(Map.of("team", "obs"));
        assertThat(RemoteWriteSpecs.read(Agent.PROMETHEUS_AGENT, after).entries().get(1).config()).isEqualTo(next);
    }

    @Test
    void entryWithoutQueueConfigGetsOneWithOnlyTheChangedFields() {
        cluster.create(AGENT);
        Agent agent = cluster.agent(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        RemoteWriteEntry bare = agent.entries().get(2);
        assertThat(bare.config()).isEqualTo(QueueConfig.unset());

        QueueConfigPatcher.Result r = apply.apply(agent, bare, bare.config(), bare.config().withMaxShards(100));

        assertThat(r.outcome()).isEqualTo(QueueConfigPatcher.Outcome.PATCHED);
        assertThat(remoteWrite(cluster.get(PrometheusKinds.PROMETHEUS_AGENT, "agent")).get(2))
                .isEqualTo(Map.of("url", "http://no-queue-config/api/v1/write", "queueConfig", Map.of("maxShards", 100)));
    }

    @Test
    void aReorderedListIsNeverPatched() {
        cluster.create(AGENT);
        Agent agent = cluster.agent(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        RemoteWriteEntry thanos = agent.entries().get(1);
        // GitOps puts thanos first between our read and our patch.
        GenericKubernetesResource r = cluster.get(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        List<Map<String, Object>> list = new ArrayList<>(remoteWrite(r));
        Collections.swap(list, 0, 1);
        spec(r).put("remoteWrite", list);
        cluster.update(r);

        QueueConfigPatcher.Result result = apply.apply(agent, thanos, thanos.config(), thanos.config().withMaxShards(200));

        assertThat(result.outcome()).isEqualTo(QueueConfigPatcher.Outcome.CONFLICT);
        assertThat(result.detail()).contains("the list changed since it was read");
        List<Map<String, Object>> now = remoteWrite(cluster.get(PrometheusKinds.PROMETHEUS_AGENT, "agent"));
        assertThat(now).isEqualTo(list);
    }

    @Test
    void aFieldSomeoneElseChangedSinceTheReadIsAConflict() {
        cluster.create(AGENT);
        Agent agent = cluster.agent(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        RemoteWriteEntry thanos = agent.entries().get(1);
        GenericKubernetesResource r = cluster.get(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        @SuppressWarnings("unchecked")
        Map<String, Object> qc = (Map<String, Object>) remoteWrite(r).get(1).get("queueConfig");
        qc.put("maxShards", 150);
        cluster.update(r);

        QueueConfigPatcher.Result result = apply.apply(agent, thanos, thanos.config(), thanos.config().withMaxShards(200));

        assertThat(result.outcome()).isEqualTo(QueueConfigPatcher.Outcome.CONFLICT);
        assertThat(result.detail()).contains("queueConfig.maxShards is now 150, not 100 as read");
    }

    @Test
    void recommendModeBuildsThePatchButNeverSendsIt() {
        GenericKubernetesResource before = cluster.create(AGENT);
        Agent agent = cluster.agent(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        RemoteWriteEntry thanos = agent.entries().get(1);
        QueueConfigPatcher recommend = new QueueConfigPatcher(Optional.of(cluster.client), ShardsConfig.Mode.RECOMMEND);

        QueueConfigPatcher.Result r = recommend.apply(agent, thanos, thanos.config(), thanos.config().withMaxShards(200));

        assertThat(r.outcome()).isEqualTo(QueueConfigPatcher.Outcome.DRY_RUN);
        assertThat(r.patch()).hasValueSatisfying(p -> assertThat(p).contains("\"value\":200"));
        assertThat(spec(cluster.get(PrometheusKinds.PROMETHEUS_AGENT, "agent"))).isEqualTo(spec(before));
    }

    @Test
    void apiConflictAndApiErrorAreReportedNotThrown() {
        cluster.create(AGENT);
        Agent agent = cluster.agent(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        RemoteWriteEntry thanos = agent.entries().get(1);
        String path = "/apis/monitoring.coreos.com/v1alpha1/namespaces/monitoring/prometheusagents/agent";
        cluster.server.expect().patch().withPath(path).andReturn(409, new StatusBuilder().withCode(409)
                .withReason("Conflict").withMessage("the object has been modified").build()).once();
        // fabric8 retries 5xx by itself; a 403 (RBAC) reaches us as it is.
        cluster.server.expect().patch().withPath(path).andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("cannot patch resource prometheusagents").build()).once();

        QueueConfigPatcher.Result conflict = apply.apply(agent, thanos, thanos.config(), thanos.config().withMaxShards(200));
        QueueConfigPatcher.Result error = apply.apply(agent, thanos, thanos.config(), thanos.config().withMaxShards(200));

        assertThat(conflict.outcome()).isEqualTo(QueueConfigPatcher.Outcome.CONFLICT);
        assertThat(conflict.detail()).contains("HTTP 409");
        assertThat(error.outcome()).isEqualTo(QueueConfigPatcher.Outcome.FAILED);
        assertThat(error.detail()).contains("HTTP 403");
        assertThat(remoteWrite(cluster.get(PrometheusKinds.PROMETHEUS_AGENT, "agent")).get(1).get("queueConfig"))
                .asString().contains("maxShards=100");
    }

    @Test
    void aResourceGoneSinceTheReadIsAConflict() {
        cluster.create(AGENT);
        Agent agent = cluster.agent(PrometheusKinds.PROMETHEUS_AGENT, "agent");
        cluster.client.genericKubernetesResources(PrometheusKinds.PROMETHEUS_AGENT.context()).inNamespace(NS)
                .withName("agent").delete();
        RemoteWriteEntry thanos = agent.entries().get(1);
        assertThat(apply.apply(agent, thanos, thanos.config(), thanos.config().withMaxShards(200)).outcome())
                .isEqualTo(QueueConfigPatcher.Outcome.CONFLICT);
    }

    @Test
    void localAgentsHaveNothingToPatch() {
        Agent local = new Agent(Agent.LOCAL, NS, "prometheus-agent-0", "", List.of(), List.of());
        RemoteWriteEntry e = new RemoteWriteEntry(-1, Optional.of("q"), "http://x", QueueConfig.unset());
        QueueConfigPatcher.Result r = new QueueConfigPatcher(Optional.empty(), ShardsConfig.Mode.APPLY)
                .apply(local, e, e.config(), e.config().withMaxShards(100));
        assertThat(r.outcome()).isEqualTo(QueueConfigPatcher.Outcome.NOT_PATCHABLE);
    }
}
