package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.config.ReplayConfig;
import io.rwautoscaler.core.metrics.BuiltinRules;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.testsupport.SwitchableLeadership;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay in cluster mode: the receivers' HPA is read from the Kubernetes API (the mock server in CRUD mode) and
 * replayed with core.hpa over the backfilled surge week in a real Prometheus ({@link SurgeWeek}), next to the
 * policy's fleet and the real one. The HPA is the runbook's: 3–10 replicas, cpu 70 %, memory 75 %, the served queue
 * length at 3000 per receiver, scale-up +50 % per 60 s after 300 s, scale-down 1 pod per 300 s after 600 s.
 */
@WithKubernetesTestServer(crud = true)
@QuarkusTest
@TestProfile(ReplayHpaEndToEndTest.ClusterMode.class)
@QuarkusTestResource(value = SurgeWeek.class, restrictToAnnotatedClass = true)
class ReplayHpaEndToEndTest {

    /** Cluster mode against the mock server; Prometheus is the surge week's. */
    public static class ClusterMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoscaler.kubernetes.enabled", "true");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SwitchableLeadership.class);
        }
    }

    static final String RUNBOOK_HPA = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: thanos-receive, namespace: monitoring}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: thanos-receive}
              minReplicas: 3
              maxReplicas: 10
              metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
              - type: Resource
                resource: {name: memory, target: {type: Utilization, averageUtilization: 75}}
              - type: Pods
                pods:
                  metric: {name: prometheus_remote_storage_queue_length}
                  target: {type: AverageValue, averageValue: "3000"}
              behavior:
                scaleUp:
                  stabilizationWindowSeconds: 300
                  policies: [{type: Percent, value: 50, periodSeconds: 60}]
                scaleDown:
                  stabilizationWindowSeconds: 600
                  policies: [{type: Pods, value: 1, periodSeconds: 300}]
            """;

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    ReplayConfig config;

    final ObjectMapper json = new ObjectMapper();

    JsonNode replay(String step) throws Exception {
        return json.readTree(given().queryParam("from", SurgeWeek.from().toString())
                .queryParam("to", String.valueOf(SurgeWeek.end.getEpochSecond())).queryParam("step", step)
                .get("/api/v1/replay").then().statusCode(200).contentType("application/json").extract().asString());
    }

    @Test
    void theHpaReadsTheCpuFigureThePolicyReads() {
        assertThat(config.hpa().cpuUtilizationQuery()).isEqualTo(RunbookRules.RECEIVER_CPU);
    }

    @Test
    void theRunbookHpaReadFromTheClusterIsReplayedBesideThePolicy() throws Exception {
        KubernetesClient client = server.getClient();
        client.apps().statefulSets().inNamespace("monitoring").resource(new StatefulSetBuilder().withNewMetadata()
                .withName("thanos-receive").withNamespace("monitoring").endMetadata().withNewSpec().withReplicas(3)
                .endSpec().build()).create();

        // No HPA on the StatefulSet yet: the report says so.
        JsonNode without = replay("5m");
        assertThat(without.path("hpa").path("available").asBoolean()).isFalse();
        assertThat(without.path("hpa").path("note").asText())
                .contains("no HorizontalPodAutoscaler (autoscaling/v2) in monitoring has StatefulSet thanos-receive");
        assertThat(without.path("timeline").path("columns").has("hpa_replicas")).isFalse();

        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("monitoring")
                .resource(Serialization.unmarshal(RUNBOOK_HPA, HorizontalPodAutoscaler.class)).create();
        JsonNode report = replay("5m");
        JsonNode hpa = report.path("hpa");
        assertThat(hpa.path("available").asBoolean()).as("hpa %s", hpa).isTrue();
        assertThat(hpa.path("name").asText()).isEqualTo("monitoring/thanos-receive");
        assertThat(hpa.path("failedSyncs").asInt()).as("notes %s", hpa.path("notes")).isZero();

        Instant surge = SurgeWeek.surgeStart();
        List<JsonNode> rescales = new ArrayList<>();
        hpa.path("rescales").forEach(rescales::add);
        // Out on the served queue (27,000 queued ÷ 3,000 per receiver = 9) once its 300 s window is full, +50 % a minute.
        assertThat(rescales).extracting(r -> r.path("to").asInt()).containsExactly(5, 8, 9, 8, 7, 6, 5, 4, 3);
        JsonNode first = rescales.get(0);
        assertThat(first.path("message").asText())
                .isEqualTo("New size: 5; reason: pods metric " + BuiltinRules.QUEUE_LENGTH + " above target");
        Instant outAt = Instant.parse(first.path("time").asText());
        assertThat(Duration.between(surge, outAt)).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(7));
        // In after the surge, on the fleet it would have had (its CPU and queue share shrink with 9 receivers).
        Instant inAt = Instant.parse(rescales.get(3).path("time").asText());
        assertThat(inAt).isAfter(SurgeWeek.surgeEnd());
        assertThat(rescales).allSatisfy(r -> assertThat(Instant.parse(r.path("time").asText()))
                .isBetween(surge, SurgeWeek.surgeEnd().plus(Duration.ofHours(1))));

        // Side by side per step: the cluster's 3, the policy's 6, the HPA's 9, and what the HPA's pods read.
        JsonNode columns = report.path("timeline").path("columns");
        int peak = (int) (Duration.between(SurgeWeek.from(), surge.plus(Duration.ofMinutes(30))).toMinutes() / 5);
        assertThat(columns.path("recorded_replicas").get(peak).asDouble()).isEqualTo(3);
        assertThat(columns.path("replayed_replicas").get(peak).asDouble()).isEqualTo(6);
        assertThat(columns.path("hpa_replicas").get(peak).asDouble()).isEqualTo(9);
        assertThat(columns.path("hpa_wanted").get(peak).asDouble()).isEqualTo(9);
        assertThat(columns.path("queue_per_receiver_hpa").get(peak).asDouble()).isCloseTo(3000,
                org.assertj.core.data.Offset.offset(1.0));
        int last = columns.path("hpa_replicas").size() - 1;
        assertThat(columns.path("hpa_replicas").get(last).asDouble()).isEqualTo(3);
        assertThat(hpa.path("replicaHours").asDouble())
                .isGreaterThan(report.path("totals").path("replayedReplicaHours").asDouble());

        // The periods when the policy would have scaled and the HPA not, or the reverse: the HPA is out first and
        // further, and in first.
        List<JsonNode> periods = new ArrayList<>();
        hpa.path("versusPolicy").forEach(periods::add);
        assertThat(periods).isNotEmpty();
        assertThat(periods.get(0).path("direction").asText()).isEqualTo("the HPA would have run more receivers than the policy");
        assertThat(periods.get(0).path("hpaMax").asInt()).isEqualTo(9);
        assertThat(periods.get(0).path("policyMax").asInt()).isEqualTo(6);
        assertThat(periods).anySatisfy(p -> assertThat(p.path("direction").asText())
                .isEqualTo("the policy would have run more receivers than the HPA"));
        assertThat(periods).allSatisfy(p -> assertThat(Instant.parse(p.path("from").asText())).isAfterOrEqualTo(surge));

        // Still range queries only: three more for the HPA (cpu, memory, the served queue), each a week at 30 s in two
        // requests of at most 11,000 points; the same count at twice the step.
        int queries = report.path("queries").asInt();
        assertThat(queries).isEqualTo(without.path("queries").asInt() + 3 * 2);
        assertThat(replay("10m").path("queries").asInt()).isEqualTo(queries);

        // The CSV lists the HPA's rescales after the decisions.
        String csv = given().queryParam("from", surge.minus(Duration.ofHours(1)).toString())
                .queryParam("to", SurgeWeek.surgeEnd().plus(Duration.ofHours(2)).toString()).queryParam("format", "csv")
                .get("/api/v1/replay").then().statusCode(200).extract().asString();
        assertThat(csv).contains(",hpa,monitoring/thanos-receive,SCALE_UP,replicas 3 → 5,hpa-rescale,false,");
    }
}
