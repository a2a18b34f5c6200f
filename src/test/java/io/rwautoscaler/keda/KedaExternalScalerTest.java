package io.rwautoscaler.keda;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.keda.externalscaler.ExternalScalerGrpc;
import io.rwautoscaler.keda.externalscaler.GetMetricSpecResponse;
import io.rwautoscaler.keda.externalscaler.GetMetricsRequest;
import io.rwautoscaler.keda.externalscaler.GetMetricsResponse;
import io.rwautoscaler.keda.externalscaler.IsActiveResponse;
import io.rwautoscaler.keda.externalscaler.ScaledObjectRef;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.rwautoscaler.metrics.SnapshotHolder;
import io.rwautoscaler.metrics.TestSnapshots;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * KEDA's external scaler through a real gRPC client (grpc-java over Netty, on the scaler's own port), every call of
 * externalscaler.proto, against the same snapshot the custom metrics API answers from.
 */
@QuarkusTest
@TestProfile(KedaExternalScalerTest.FreeGrpcPort.class)
class KedaExternalScalerTest {

    public static class FreeGrpcPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try (ServerSocket s = new ServerSocket(0)) {
                return Map.of("quarkus.grpc.server.test-port", Integer.toString(s.getLocalPort()), "autoscaler.keda.enabled", "true");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final Instant SAMPLED = Instant.parse("2026-11-25T12:00:07.250Z");
    static final String QUEUE = "prometheus_remote_storage_queue_length";

    @Inject
    SnapshotHolder holder;
    @Inject
    MetricRuleSet rules;

    ManagedChannel channel;
    ExternalScalerGrpc.ExternalScalerBlockingStub scaler;

    @BeforeEach
    void connect() {
        publish(Instant.now(), 1000, 8000);
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        scaler = ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    static Sample agent(String pod, String remote, double v) {
        return new Sample(Map.of("namespace", "monitoring", "pod", pod, "job", "prometheus-agent", "remote_name", remote), v, SAMPLED);
    }

    void publish(Instant fetchedAt, double agent0, double agent1) {
        Map<String, MetricData> data = new HashMap<>();
        for (MetricRule r : rules.rules()) {
            data.put(r.name(), new MetricData(r, List.of(agent("prometheus-agent-0", "cluster-02", agent0),
                    agent("prometheus-agent-1", "cluster-03", agent1)), fetchedAt));
        }
        List<PodInfo> pods = List.of(
                new PodInfo("monitoring", "thanos-receive-0", Map.of("app", "thanos-receive"), true),
                new PodInfo("monitoring", "thanos-receive-1", Map.of("app", "thanos-receive"), true),
                new PodInfo("monitoring", "thanos-receive-2", Map.of("app", "thanos-receive"), true));
        TestSnapshots.publish(holder, new Snapshot(fetchedAt, rules.rules(), data, Map.of(), pods, ObjectLabels.DEFAULT));
    }

    /** What KEDA sends for deploy/examples/thanos-receive-scaledobject.yaml: its own keys plus ours. */
    static ScaledObjectRef ref(Map<String, String> metadata) {
        Map<String, String> all = new HashMap<>(Map.of("scalerAddress", "remote-write-autoscaler.monitoring.svc:9443",
                "enableTLS", "true"));
        all.putAll(metadata);
        return ScaledObjectRef.newBuilder().setName("thanos-receive").setNamespace("monitoring").putAllScalerMetadata(all).build();
    }

    static final ScaledObjectRef RUNBOOK = ref(Map.of());

    @Test
    void metricSpecIsTheRunbooksTargetOutOfTheBox() {
        GetMetricSpecResponse spec = scaler.getMetricSpec(RUNBOOK);
        assertThat(spec.getMetricSpecsList()).singleElement().satisfies(s -> {
            assertThat(s.getMetricName()).isEqualTo(QUEUE);
            assertThat(s.getTargetSizeFloat()).isEqualTo(3000);
            assertThat(s.getTargetSize()).isEqualTo(3000);
        });
        assertThat(scaler.getMetricSpec(ref(Map.of("targetValue", "2500.5"))).getMetricSpecs(0).getTargetSizeFloat()).isEqualTo(2500.5);
    }

    @Test
    void getMetricsIsTheTotalTheCustomMetricsApiSpreadsOverTheReceivers() {
        GetMetricsResponse r = scaler.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(RUNBOOK).setMetricName(QUEUE).build());
        assertThat(r.getMetricValuesList()).singleElement().satisfies(v -> {
            assertThat(v.getMetricName()).isEqualTo(QUEUE);
            assertThat(v.getMetricValueFloat()).isEqualTo(9000);
            assertThat(v.getMetricValue()).isEqualTo(9000);
        });
        // The runbook's Pods HPA: each of the 3 ready receivers gets 9000 / 3; KEDA's HPA divides 9000 by its replicas.
        List<String> shares = given().urlEncodingEnabled(false).when()
                .get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/" + QUEUE + "?labelSelector=app%3Dthanos-receive")
                .then().statusCode(200).extract().jsonPath().getList("items.value");
        assertThat(shares).containsExactly("3k", "3k", "3k");
        assertThat(shares.size() * 3000.0).isEqualTo(r.getMetricValues(0).getMetricValueFloat());
    }

    /**
     * Done-when of issue 19: the example ScaledObject's own external trigger (deploy/examples), sent as KEDA sends it,
     * gets through the scaler the value the custom metrics API serves for the same snapshot: the total the runbook's
     * Pods HPA spreads over the ready receivers, so KEDA's HPA (AverageValue target, total / replicas) and the Pods HPA
     * (per-receiver share) reach the same replica count. A second snapshot, to see it follow the data.
     */
    @Test
    void theExampleScaledObjectsMetricIsTheValueTheCustomMetricsApiServes() throws Exception {
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        com.fasterxml.jackson.databind.JsonNode scaledObject = null;
        try (var parser = yaml.getFactory().createParser(java.nio.file.Path.of("deploy/examples/thanos-receive-scaledobject.yaml").toFile())) {
            for (var docs = yaml.readValues(parser, com.fasterxml.jackson.databind.JsonNode.class); docs.hasNext(); ) {
                var doc = docs.next();
                if ("ScaledObject".equals(doc.path("kind").asText())) {
                    scaledObject = doc;
                }
            }
        }
        assertThat(scaledObject).isNotNull();
        Map<String, String> metadata = new HashMap<>();
        com.fasterxml.jackson.databind.JsonNode trigger = null;
        for (var t : scaledObject.path("spec").path("triggers")) {
            if ("external".equals(t.path("type").asText())) {
                trigger = t;
                t.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            }
        }
        assertThat(trigger).isNotNull();
        assertThat(trigger.path("metricType").asText()).isEqualTo("AverageValue");
        ScaledObjectRef example = ScaledObjectRef.newBuilder().setName(scaledObject.path("metadata").path("name").asText())
                .setNamespace(scaledObject.path("metadata").path("namespace").asText()).putAllScalerMetadata(metadata).build();
        String metric = metadata.get("metricName");

        GetMetricSpecResponse spec = scaler.getMetricSpec(example);
        assertThat(spec.getMetricSpecs(0).getMetricName()).isEqualTo(metric);
        for (double[] agents : new double[][]{{1000, 8000}, {2500, 12_500}}) {
            publish(Instant.now(), agents[0], agents[1]);
            double viaKeda = scaler.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(example).setMetricName(metric).build())
                    .getMetricValues(0).getMetricValueFloat();
            List<String> shares = given().urlEncodingEnabled(false).when()
                    .get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/" + metric + "?labelSelector=app%3Dthanos-receive")
                    .then().statusCode(200).extract().jsonPath().getList("items.value");
            double viaCustomApi = shares.stream().mapToDouble(q -> io.rwautoscaler.core.model.Quantity.parse(q).doubleValue()).sum();
            assertThat(viaKeda).as("snapshot %s", java.util.Arrays.toString(agents)).isEqualTo(agents[0] + agents[1]).isEqualTo(viaCustomApi);
            // Same replica count either way: ceil(total / target) against the Pods HPA's ceil(sum of shares / 3000).
            assertThat(Math.ceil(viaKeda / spec.getMetricSpecs(0).getTargetSizeFloat())).isEqualTo(Math.ceil(viaCustomApi / 3000));
        }
    }

    @Test
    void labelSelectorPicksSeries() {
        GetMetricsResponse r = scaler.getMetrics(GetMetricsRequest.newBuilder()
                .setScaledObjectRef(ref(Map.of("labelSelector", "remote_name=cluster-03"))).setMetricName(QUEUE).build());
        assertThat(r.getMetricValues(0).getMetricValueFloat()).isEqualTo(8000);
        // The lag is a max, not a sum.
        GetMetricsResponse lag = scaler.getMetrics(GetMetricsRequest.newBuilder()
                .setScaledObjectRef(ref(Map.of("metricName", "prometheus_remote_storage_lag_seconds"))).build());
        assertThat(lag.getMetricValues(0).getMetricValueFloat()).isEqualTo(8000);
        assertThat(lag.getMetricValues(0).getMetricName()).isEqualTo("prometheus_remote_storage_lag_seconds");
    }

    @Test
    void isActiveAboveTheActivationValue() {
        assertThat(scaler.isActive(RUNBOOK).getResult()).isTrue();
        assertThat(scaler.isActive(ref(Map.of("activationValue", "8999"))).getResult()).isTrue();
        assertThat(scaler.isActive(ref(Map.of("activationValue", "9000"))).getResult()).isFalse();
        publish(Instant.now(), 0, 0);
        assertThat(scaler.isActive(RUNBOOK).getResult()).isFalse();
    }

    @Test
    void streamIsActiveSendsTheStateThenEachChange() {
        Iterator<IsActiveResponse> stream = scaler.streamIsActive(RUNBOOK);
        assertThat(stream.next().getResult()).isTrue();
        publish(Instant.now(), 0, 0);
        assertThat(stream.next().getResult()).isFalse();
        publish(Instant.now(), 0, 5);
        assertThat(stream.next().getResult()).isTrue();
    }

    @Test
    void badMetadataIsInvalidArgumentWithTheReason() {
        assertInvalid(Map.of("targetValue", "3k"), "ScaledObject monitoring/thanos-receive: scalerMetadata targetValue must be a number, got '3k'");
        assertInvalid(Map.of("targetValue", "0"), "targetValue must be above 0");
        assertInvalid(Map.of("activationValue", "-1"), "activationValue must not be negative");
        assertInvalid(Map.of("labelSelector", "remote_name in (a"), "scalerMetadata labelSelector 'remote_name in (a' is invalid");
        assertInvalid(Map.of("metricName", "queue_length"), "metricName queue_length is not served; served metrics: "
                + "prometheus_remote_storage_lag_seconds, prometheus_remote_storage_queue_length, prometheus_remote_storage_shards_utilization");
        assertInvalid(Map.of("targetvalue", "3000"), "unknown scalerMetadata key(s) [targetvalue]");
        StatusRuntimeException e = (StatusRuntimeException) org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> scaler.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(RUNBOOK).setMetricName("other").build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        Iterator<IsActiveResponse> stream = scaler.streamIsActive(ref(Map.of("targetValue", "x")));
        assertThatThrownBy(stream::next).isInstanceOfSatisfying(StatusRuntimeException.class,
                s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    void assertInvalid(Map<String, String> metadata, String message) {
        ScaledObjectRef bad = ref(metadata);
        List<Runnable> calls = List.of(() -> scaler.isActive(bad), () -> scaler.getMetricSpec(bad),
                () -> scaler.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(bad).build()));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains(message);
            });
        }
    }

    @Test
    void staleDataIsUnavailable() {
        publish(Instant.now().minus(Duration.ofHours(1)), 1000, 8000);
        for (Runnable call : List.<Runnable>of(() -> scaler.isActive(RUNBOOK),
                () -> scaler.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(RUNBOOK).build()),
                () -> scaler.streamIsActive(RUNBOOK).next())) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).contains("data for metric " + QUEUE + " is 3600s old");
            });
        }
        // The spec comes from configuration: KEDA can still build its HPA.
        assertThat(scaler.getMetricSpec(RUNBOOK).getMetricSpecs(0).getTargetSizeFloat()).isEqualTo(3000);
    }

    @Test
    void noMatchingSeriesIsNotFound() {
        assertThatThrownBy(() -> scaler.getMetrics(GetMetricsRequest.newBuilder()
                .setScaledObjectRef(ref(Map.of("labelSelector", "remote_name=nowhere"))).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("no series of metric " + QUEUE + " match the selector 'remote_name=nowhere'");
                });
    }

    @Test
    void streamMetricSpecIsUnimplementedSoKedaFallsBack() {
        assertThatThrownBy(() -> scaler.streamMetricSpec(RUNBOOK).next()).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }
}
