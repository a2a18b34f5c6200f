package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueFigure;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ShardState;
import io.rwautoscaler.runtime.Leadership;
import io.rwautoscaler.testsupport.CannedPrometheusServer;
import io.rwautoscaler.testsupport.CannedPrometheusServerResource;
import io.rwautoscaler.testsupport.QueueFigures;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Cluster mode, apply mode, against the Kubernetes mock API server (CRUD) and a fake Prometheus: what the tuner
 * patches, when it refuses, and what it writes. Each test has its own namespace and cleans up after itself.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(ShardTunerClusterTest.ApplyInCluster.class)
@QuarkusTestResource(value = CannedPrometheusServerResource.class, restrictToAnnotatedClass = true)
class ShardTunerClusterTest {

    public static class ApplyInCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "autoscaler.kubernetes.enabled", "true",
                    "autoscaler.shards.mode", "apply",
                    // Tests share one loop; the budget is core's business and tested there.
                    "autoscaler.shards.changes-per-hour", "1000",
                    "autoscaler.leader-election.namespace", "rwa-system",
                    "autoscaler.leader-election.identity", "rwa-test-0",
                    "autoscaler.leader-election.lease-duration", "2s",
                    "autoscaler.leader-election.renew-deadline", "1500ms",
                    "autoscaler.leader-election.retry-period", "200ms");
        }
    }

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String URL = "http://thanos-receive-lb:19291/api/v1/receive";

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    KubernetesClient client;
    @Inject
    ShardTunerLoop loop;
    @Inject
    Leadership leadership;
    @Inject
    QueueQueries queries;

    CannedPrometheusServer fake;
    final List<String> namespaces = new ArrayList<>();

    static String agentYaml(String ns) {
        return """
                apiVersion: monitoring.coreos.com/v1alpha1
                kind: PrometheusAgent
                metadata: {name: agent, namespace: %s, labels: {app.kubernetes.io/managed-by: argocd}}
                spec:
                  replicas: 1
                  scrapeInterval: 30s
                  remoteWrite:
                  - name: backup
                    url: http://backup/api/v1/write
                    queueConfig: {maxShards: 5}
                  - name: thanos
                    url: %s
                    writeRelabelConfigs: [{action: drop, regex: go_.*, sourceLabels: [__name__]}]
                    queueConfig: {minShards: 1, maxShards: 10, capacity: 20000, maxSamplesPerSend: 2000, batchSendDeadline: 5s}
                """.formatted(ns, URL);
    }

    static QueueSeries thanos(String ns) {
        return new QueueSeries(ns, "prom-agent-agent-0", "thanos", URL);
    }

    static QueueSeries backup(String ns) {
        return new QueueSeries(ns, "prom-agent-agent-0", "backup", "http://backup/api/v1/write");
    }

    /** A namespace with the agent above: thanos pinned at maxShards 10 (wants 20), backup steady. */
    GenericKubernetesResource setUp(String ns, QueueFigures thanosFigures) {
        namespaces.add(ns);
        GenericKubernetesResource r = Serialization.unmarshal(agentYaml(ns), GenericKubernetesResource.class);
        GenericKubernetesResource created = client.genericKubernetesResources(PrometheusKinds.PROMETHEUS_AGENT.context())
                .inNamespace(ns).resource(r).create();
        thanosFigures.into(fake, queries, thanos(ns));
        QueueFigures.steady(1, 5, 10000, 2000).into(fake, queries, backup(ns));
        return created;
    }

    GenericKubernetesResource agent(String ns) {
        return client.genericKubernetesResources(PrometheusKinds.PROMETHEUS_AGENT.context()).inNamespace(ns)
                .withName("agent").get();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> queueConfig(GenericKubernetesResource r, int index) {
        return (Map<String, Object>) ((List<Map<String, Object>>) spec(r).get("remoteWrite")).get(index)
                .get("queueConfig");
    }

    List<Event> events(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems();
    }

    ShardReport.Queue thanosIn(ShardReport r, String ns) {
        return r.queues().stream().filter(q -> q.agent().namespace().equals(ns)
                && q.entry().name().orElse("").equals("thanos")).findFirst().orElseThrow();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @BeforeEach
    void leader() throws InterruptedException {
        await(leadership::isLeader, "this replica to lead");
    }

    @AfterEach
    void cleanUp() {
        for (String ns : namespaces) {
            client.genericKubernetesResources(PrometheusKinds.PROMETHEUS_AGENT.context()).inNamespace(ns).delete();
            client.genericKubernetesResources(PrometheusKinds.PROMETHEUS.context()).inNamespace(ns).delete();
            fake.forget(Map.of("namespace", ns));
        }
    }

    @Test
    void applyModePatchesOnlyTheQueueConfigOfTheRightEntry() {
        String ns = "t-apply";
        GenericKubernetesResource before = setUp(ns, QueueFigures.atMax(1, 10, 20000, 2000));

        ShardReport report = loop.runOnce(NOW);

        ShardReport.Queue q = thanosIn(report, ns);
        assertThat(q.decision().state()).isEqualTo(ShardState.RAISE);
        assertThat(q.lastAction()).hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("patched"));
        GenericKubernetesResource after = agent(ns);
        Map<String, Object> expected = spec(before);
        queueConfig(before, 1).put("maxShards", 20);
        assertThat(spec(after)).isEqualTo(expected);
        assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());

        assertThat(events(ns)).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("ShardBoundsChanged");
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("PrometheusAgent");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("agent");
            assertThat(e.getMessage()).contains("maxShards 10 → 20");
        });

        given().get("/api/v1/agents").then().statusCode(200)
                .body("mode", equalTo("apply"))
                .body("leader.leader", equalTo(true))
                .body("agents.find { it.namespace == 't-apply' }.queues.find { it.remoteName == 'thanos' }.lastAction.outcome",
                        equalTo("patched"))
                .body("agents.find { it.namespace == 't-apply' }.queues.find { it.remoteName == 'thanos' }.lastChange.to.maxShards",
                        equalTo(20));

        // The agent has not reloaded yet (its gauges still say 10): wait, do not patch again.
        ShardReport next = loop.runOnce(NOW.plusSeconds(60));
        assertThat(thanosIn(next, ns).decision().state()).isEqualTo(ShardState.COOLDOWN);
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(20);
        assertThat(events(ns)).hasSize(1);
    }

    @Test
    void noPatchWhileLagIsHighAndOneEventForTheWholeWait() {
        String ns = "t-lag";
        GenericKubernetesResource before = setUp(ns, QueueFigures.atMax(1, 10, 20000, 2000)
                .set(QueueFigure.LAG_SECONDS, 300));

        for (int minute = 0; minute < 3; minute++) {
            ShardReport r = loop.runOnce(NOW.plusSeconds(60L * minute));
            assertThat(thanosIn(r, ns).decision().state()).isEqualTo(ShardState.WAITING_FOR_DRAIN);
            assertThat(thanosIn(r, ns).decision().recommended().effectiveMaxShards()).isEqualTo(20);
        }
        assertThat(spec(agent(ns))).isEqualTo(spec(before));
        assertThat(events(ns)).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("ShardChangeRefused");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("waiting-for-drain").contains("lag 300s ≥ 60s");
        });

        QueueFigures.atMax(1, 10, 20000, 2000).into(fake, queries, thanos(ns)); // drained: lag 5s
        assertThat(thanosIn(loop.runOnce(NOW.plusSeconds(240)), ns).lastAction())
                .hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("patched"));
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(20);
    }

    @Test
    void aReplicaThatIsNotLeaderNeverPatchesNorWritesEvents() throws Exception {
        String ns = "t-follower";
        GenericKubernetesResource before = setUp(ns, QueueFigures.atMax(1, 10, 20000, 2000));
        takeLeaseAs("rwa-test-1");
        try {
            await(() -> !leadership.isLeader(), "this replica to lose the lease");

            ShardReport r = loop.runOnce(NOW);

            assertThat(r.leader()).isFalse();
            ShardReport.Queue q = thanosIn(r, ns);
            assertThat(q.decision().state()).isEqualTo(ShardState.RAISE); // decided and reported...
            assertThat(q.lastAction()).hasValueSatisfying(a -> {
                assertThat(a.outcome()).isEqualTo("not-leader");
                assertThat(a.detail()).contains("rwa-test-1");
            });
            assertThat(spec(agent(ns))).isEqualTo(spec(before)); // ...but not applied
            assertThat(events(ns)).isEmpty();
            assertThat(loop.state().lastChange(q.decision().queue())).isEmpty();
        } finally {
            client.leases().inNamespace("rwa-system").withName("remote-write-autoscaler").delete();
        }
        await(leadership::isLeader, "this replica to lead again");
    }

    /** Another replica takes the lease for an hour; retried, since our own renewals race with the update. */
    void takeLeaseAs(String identity) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Lease lease = client.leases().inNamespace("rwa-system").withName("remote-write-autoscaler").get();
            lease.getSpec().setHolderIdentity(identity);
            lease.getSpec().setLeaseDurationSeconds(3600);
            lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
            try {
                client.leases().inNamespace("rwa-system").resource(lease).update();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt > 20) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void aRevertedChangeIsDetectedAndNotFought() {
        String ns = "t-revert";
        setUp(ns, QueueFigures.atMax(1, 10, 20000, 2000));
        loop.runOnce(NOW);
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(20);

        // GitOps puts the old value back; the agent never ran ours.
        GenericKubernetesResource r = agent(ns);
        queueConfig(r, 1).put("maxShards", 10);
        client.genericKubernetesResources(PrometheusKinds.PROMETHEUS_AGENT.context()).inNamespace(ns).resource(r)
                .update();

        for (Instant t : List.of(NOW.plus(Duration.ofMinutes(6)), NOW.plus(Duration.ofMinutes(45)),
                NOW.plus(Duration.ofHours(3)))) {
            ShardReport.Queue q = thanosIn(loop.runOnce(t), ns);
            assertThat(q.decision().state()).isEqualTo(ShardState.REVERTED);
            assertThat(q.lastChange()).hasValueSatisfying(c -> assertThat(c.reverted()).isTrue());
        }
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(10);
        assertThat(events(ns)).extracting(Event::getReason)
                .containsExactlyInAnyOrder("ShardBoundsChanged", "ShardChangeReverted");
        given().get("/api/v1/agents").then().statusCode(200)
                .body("agents.find { it.namespace == 't-revert' }.queues.find { it.remoteName == 'thanos' }.state",
                        equalTo("reverted"));
    }

    @Test
    void aConflictIsRetriedOnTheNextCycle() {
        String ns = "t-conflict";
        setUp(ns, QueueFigures.atMax(1, 10, 20000, 2000));
        server.expect().patch().withPath("/apis/monitoring.coreos.com/v1alpha1/namespaces/t-conflict/prometheusagents/agent")
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                        .withMessage("Operation cannot be fulfilled: the object has been modified").build()).once();

        ShardReport.Queue first = thanosIn(loop.runOnce(NOW), ns);
        assertThat(first.lastAction()).hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("conflict"));
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(10);
        assertThat(loop.state().lastChange(first.decision().queue())).isEmpty();

        ShardReport.Queue second = thanosIn(loop.runOnce(NOW.plusSeconds(60)), ns);
        assertThat(second.lastAction()).hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("patched"));
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(20);
        assertThat(events(ns)).extracting(Event::getReason)
                .containsExactlyInAnyOrder("ShardPatchFailed", "ShardBoundsChanged");
    }

    @Test
    void aSecondFailedPatchWaitsOneCycleOutThenRetries() {
        // The plan's WaitBackoff step (core.shards.ShardActPlan) as the loop carries it out: no patch, the wait said.
        String ns = "t-backoff";
        setUp(ns, QueueFigures.atMax(1, 10, 20000, 2000));
        server.expect().patch().withPath("/apis/monitoring.coreos.com/v1alpha1/namespaces/t-backoff/prometheusagents/agent")
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                        .withMessage("Operation cannot be fulfilled: the object has been modified").build()).times(2);

        assertThat(thanosIn(loop.runOnce(NOW), ns).lastAction())
                .hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("conflict"));
        assertThat(thanosIn(loop.runOnce(NOW.plusSeconds(60)), ns).lastAction())
                .hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("conflict"));
        ShardReport.Queue waiting = thanosIn(loop.runOnce(NOW.plusSeconds(120)), ns);
        assertThat(waiting.lastAction()).hasValueSatisfying(a -> {
            assertThat(a.outcome()).isEqualTo("backing-off");
            assertThat(a.detail()).isEqualTo("last patch failed; next try in 1 cycle(s)");
        });
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(10);

        ShardReport.Queue retried = thanosIn(loop.runOnce(NOW.plusSeconds(180)), ns);
        assertThat(retried.lastAction()).hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("patched"));
        assertThat(queueConfig(agent(ns), 1).get("maxShards")).isEqualTo(20);
    }

    @Test
    void unreadableResourcesAndMissingMetricsAreReportedNotFatal() {
        String ns = "t-bad";
        namespaces.add(ns);
        for (String yaml : List.of("""
                apiVersion: monitoring.coreos.com/v1alpha1
                kind: PrometheusAgent
                metadata: {name: no-remote-write, namespace: t-bad}
                spec: {replicas: 1}
                """, """
                apiVersion: monitoring.coreos.com/v1
                kind: Prometheus
                metadata: {name: k8s, namespace: t-bad}
                spec:
                  futureField: {a: b}
                  remoteWrite:
                  - name: broken
                  - {url: http://x, queueConfig: {maxShards: -3}}
                  - {url: http://new/api/v1/write}
                """)) {
            GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
            client.genericKubernetesResources(PrometheusKinds.of(r.getKind()).context()).inNamespace(ns).resource(r)
                    .create();
        }

        ShardReport report = loop.runOnce(NOW);

        assertThat(report.lastCycle().ok()).isTrue();
        assertThat(report.agents()).filteredOn(a -> a.namespace().equals(ns)).extracting(a -> a.name() + ": "
                + a.problems()).containsExactlyInAnyOrder(
                "k8s: [spec.remoteWrite[0] has no url: skipped, spec.remoteWrite[1].queueConfig.maxShards is -3, not a positive integer: skipped]",
                "no-remote-write: [spec.remoteWrite is missing: nothing to tune]");
        assertThat(report.queues()).filteredOn(q -> q.agent().namespace().equals(ns)).singleElement()
                .satisfies(q -> {
                    assertThat(q.entry().url()).isEqualTo("http://new/api/v1/write");
                    assertThat(q.series()).isEmpty();
                    assertThat(q.decision().state()).isEqualTo(ShardState.INSUFFICIENT_DATA);
                });
        assertThat(events(ns)).extracting(Event::getReason).containsExactly("ShardDataInsufficient");
    }

    @Test
    void anApiErrorFailsTheCycleWhichIsReportedAndTheNextOneRuns() {
        String ns = "t-api-error";
        setUp(ns, QueueFigures.steady(1, 10, 20000, 2000));
        server.expect().get().withPath("/apis/monitoring.coreos.com/v1alpha1/prometheusagents")
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("prometheusagents.monitoring.coreos.com is forbidden").build()).once();

        ShardReport failed = loop.runOnce(NOW);
        assertThat(failed.lastCycle().ok()).isFalse();
        assertThat(failed.lastCycle().error()).hasValueSatisfying(e -> assertThat(e).contains("forbidden"));
        given().get("/api/v1/agents").then().statusCode(200).body("lastCycle.ok", equalTo(false));

        ShardReport next = loop.runOnce(NOW.plusSeconds(60));
        assertThat(next.lastCycle().ok()).isTrue();
        assertThat(thanosIn(next, ns).decision().state()).isEqualTo(ShardState.OK);
    }
}
