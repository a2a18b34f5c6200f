package io.rwautoscaler.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.rwautoscaler.metrics.SnapshotHolder;
import io.rwautoscaler.metrics.TestSnapshots;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire contract of custom.metrics.k8s.io v1beta1/v1beta2 and external.metrics.k8s.io v1beta1, compared
 * byte for byte with what the upstream Go types (k8s.io/metrics, apimachinery) serialize: field names and
 * order, {@code "selector": null} where upstream has no omitempty, "/v1" for core kinds, canonical quantities.
 */
@QuarkusTest
class MetricsApiContractTest {

    static final Instant SAMPLED = Instant.parse("2026-11-25T12:00:07.250Z");

    @Inject
    SnapshotHolder holder;
    @Inject
    MetricRuleSet rules;

    final ObjectMapper json = new ObjectMapper();

    static Sample agent(String pod, String remote, double v) {
        return new Sample(Map.of("namespace", "monitoring", "pod", pod, "job", "prometheus-agent", "remote_name", remote,
                "url", "http://thanos-receive-lb:19291/api/v1/receive"), v, SAMPLED);
    }

    @BeforeEach
    void publish() {
        publishFetchedAt(Instant.now());
    }

    void publishFetchedAt(Instant fetchedAt) {
        Map<String, MetricData> data = new HashMap<>();
        for (MetricRule r : rules.rules()) {
            List<Sample> samples = switch (r.name()) {
                case "prometheus_remote_storage_queue_length" -> List.of(agent("prometheus-agent-0", "cluster-02", 1000),
                        agent("prometheus-agent-1", "cluster-03", 8000));
                case "prometheus_remote_storage_lag_seconds" -> List.of(agent("prometheus-agent-0", "cluster-02", 1.5),
                        agent("prometheus-agent-1", "cluster-03", 42));
                default -> List.of(agent("prometheus-agent-0", "cluster-02", 0.5));
            };
            data.put(r.name(), new MetricData(r, samples, fetchedAt));
        }
        List<PodInfo> pods = List.of(
                new PodInfo("monitoring", "thanos-receive-0", Map.of("app", "thanos-receive"), true),
                new PodInfo("monitoring", "thanos-receive-1", Map.of("app", "thanos-receive"), true),
                new PodInfo("monitoring", "thanos-receive-2", Map.of("app", "thanos-receive"), true),
                new PodInfo("monitoring", "prometheus-agent-0", Map.of("app", "prometheus-agent"), true),
                new PodInfo("monitoring", "prometheus-agent-1", Map.of("app", "prometheus-agent"), true));
        TestSnapshots.publish(holder, new Snapshot(fetchedAt, rules.rules(), data, Map.of(), pods, ObjectLabels.DEFAULT));
    }

    String get(String path, int status) {
        return given().urlEncodingEnabled(false).when().get(path).then().statusCode(status)
                .contentType("application/json").extract().asString();
    }

    void assertJson(String actual, String expected) throws Exception {
        // Byte order matters (Go writes struct fields in declaration order), whitespace does not.
        assertThat(actual).isEqualTo(json.writeValueAsString(json.readTree(expected)));
    }

    @Test
    void discoveryV1beta1ListsEveryCustomMetricPerResource() throws Exception {
        String body = get("/apis/custom.metrics.k8s.io/v1beta1", 200);
        assertThat(body).startsWith("{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"custom.metrics.k8s.io/v1beta1\",\"resources\":[");
        assertThat(body).contains("{\"name\":\"pods/prometheus_remote_storage_queue_length\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"MetricValueList\",\"verbs\":[\"get\"]}");
        assertThat(body).contains("{\"name\":\"namespaces/prometheus_remote_storage_lag_seconds\",\"singularName\":\"\",\"namespaced\":false,\"kind\":\"MetricValueList\",\"verbs\":[\"get\"]}");
        assertThat(json.readTree(body).get("resources")).hasSize(9);
        assertThat(get("/apis/custom.metrics.k8s.io/v1beta2", 200)).contains("\"groupVersion\":\"custom.metrics.k8s.io/v1beta2\"");
    }

    @Test
    void discoveryExternal() throws Exception {
        assertJson(get("/apis/external.metrics.k8s.io/v1beta1", 200), """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"external.metrics.k8s.io/v1beta1","resources":[
                 {"name":"prometheus_remote_storage_lag_seconds","singularName":"","namespaced":true,"kind":"ExternalMetricValueList","verbs":["get"]},
                 {"name":"prometheus_remote_storage_queue_length","singularName":"","namespaced":true,"kind":"ExternalMetricValueList","verbs":["get"]},
                 {"name":"prometheus_remote_storage_shards_utilization","singularName":"","namespaced":true,"kind":"ExternalMetricValueList","verbs":["get"]}]}
                """);
    }

    @Test
    void v1beta1PodsWildcard() throws Exception {
        assertJson(get("/apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length?labelSelector=app%3Dprometheus-agent", 200), """
                {"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta1","metadata":{},"items":[
                 {"describedObject":{"kind":"Pod","namespace":"monitoring","name":"prometheus-agent-0","apiVersion":"/v1"},
                  "metricName":"prometheus_remote_storage_queue_length","timestamp":"2026-11-25T12:00:07Z","window":0,"value":"1k","selector":null},
                 {"describedObject":{"kind":"Pod","namespace":"monitoring","name":"prometheus-agent-1","apiVersion":"/v1"},
                  "metricName":"prometheus_remote_storage_queue_length","timestamp":"2026-11-25T12:00:07Z","window":0,"value":"8k","selector":null}]}
                """);
    }

    @Test
    void v1beta2SingleObjectWithMetricLabelSelectorEchoed() throws Exception {
        assertJson(get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/prometheus-agent-1/prometheus_remote_storage_lag_seconds?metricLabelSelector=remote_name%3Dcluster-03", 200), """
                {"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[
                 {"describedObject":{"kind":"Pod","namespace":"monitoring","name":"prometheus-agent-1","apiVersion":"/v1"},
                  "metric":{"name":"prometheus_remote_storage_lag_seconds","selector":{"matchLabels":{"remote_name":"cluster-03"}}},
                  "timestamp":"2026-11-25T12:00:07Z","windowSeconds":0,"value":"42"}]}
                """);
    }

    @Test
    void v1beta2ReceiverPodsGetTheDistributedQueue() throws Exception {
        // 9000 samples queued on the agents, 3 ready receivers: 3000 each, so an HPA with AverageValue 3000 keeps 3.
        assertJson(get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length?labelSelector=app%3Dthanos-receive", 200), """
                {"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[
                 {"describedObject":{"kind":"Pod","namespace":"monitoring","name":"thanos-receive-0","apiVersion":"/v1"},
                  "metric":{"name":"prometheus_remote_storage_queue_length","selector":null},"timestamp":"2026-11-25T12:00:07Z","windowSeconds":0,"value":"3k"},
                 {"describedObject":{"kind":"Pod","namespace":"monitoring","name":"thanos-receive-1","apiVersion":"/v1"},
                  "metric":{"name":"prometheus_remote_storage_queue_length","selector":null},"timestamp":"2026-11-25T12:00:07Z","windowSeconds":0,"value":"3k"},
                 {"describedObject":{"kind":"Pod","namespace":"monitoring","name":"thanos-receive-2","apiVersion":"/v1"},
                  "metric":{"name":"prometheus_remote_storage_queue_length","selector":null},"timestamp":"2026-11-25T12:00:07Z","windowSeconds":0,"value":"3k"}]}
                """);
    }

    @Test
    void namespaceMetricDescribesTheNamespace() throws Exception {
        assertJson(get("/apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/metrics/prometheus_remote_storage_shards_utilization", 200), """
                {"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta1","metadata":{},"items":[
                 {"describedObject":{"kind":"Namespace","name":"monitoring","apiVersion":"/v1"},
                  "metricName":"prometheus_remote_storage_shards_utilization","timestamp":"2026-11-25T12:00:07Z","window":0,"value":"500m","selector":null}]}
                """);
        // The same object through the cluster-scoped form.
        assertThat(get("/apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/prometheus_remote_storage_shards_utilization", 200))
                .contains("\"value\":\"500m\"");
    }

    @Test
    void externalFiltersSeriesByLabels() throws Exception {
        assertJson(get("/apis/external.metrics.k8s.io/v1beta1/namespaces/monitoring/prometheus_remote_storage_queue_length?labelSelector=remote_name%3Dcluster-03", 200), """
                {"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[
                 {"metricName":"prometheus_remote_storage_queue_length",
                  "metricLabels":{"job":"prometheus-agent","namespace":"monitoring","pod":"prometheus-agent-1","remote_name":"cluster-03","url":"http://thanos-receive-lb:19291/api/v1/receive"},
                  "timestamp":"2026-11-25T12:00:07Z","window":0,"value":"8k"}]}
                """);
        assertJson(get("/apis/external.metrics.k8s.io/v1beta1/namespaces/default/prometheus_remote_storage_queue_length", 200), """
                {"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[]}
                """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/prometheus-agent-0/nope|404|NotFound|the server could not find the metric nope for pods prometheus-agent-0",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/ghost/prometheus_remote_storage_queue_length|404|NotFound|could not find the metric prometheus_remote_storage_queue_length for pods ghost",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/widgets/x/prometheus_remote_storage_queue_length|404|NotFound|doesn't have a resource type \"widgets\"",
            "/apis/custom.metrics.k8s.io/v1beta3|404|NotFound|v1beta3 is not served",
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/monitoring/nope|404|NotFound|could not find the metric nope",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/a/b/c/d|400|BadRequest|malformed path",
            "/apis/custom.metrics.k8s.io/v1beta2/pods/x/prometheus_remote_storage_queue_length|400|BadRequest|pods are namespaced",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length?labelSelector=app%20in%20(x|400|BadRequest|invalid labelSelector",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length?metricLabelSelector=%3D%3Dx|400|BadRequest|invalid metricLabelSelector",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/Bad_NS/pods/*/prometheus_remote_storage_queue_length|400|BadRequest|invalid namespace 'Bad_NS'",
            "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/bad-metric|400|BadRequest|invalid metric name 'bad-metric'",
            "/apis/external.metrics.k8s.io/v1beta1/monitoring/prometheus_remote_storage_queue_length|400|BadRequest|expected namespaces/{namespace}/{metric}",
            "/apis/nothing.here/v1|404|NotFound|could not find the requested resource",
    })
    void errorsAreStatusObjects(String path, int code, String reason, String message) throws Exception {
        var status = json.readTree(get(path, code));
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.get("status").asText()).isEqualTo("Failure");
        assertThat(status.get("reason").asText()).isEqualTo(reason);
        assertThat(status.get("code").asInt()).isEqualTo(code);
        assertThat(status.get("message").asText()).contains(message);
    }

    @Test
    void oversizedSelectorIsRejected() throws Exception {
        String big = "a%3D" + "x".repeat(5000);
        var status = json.readTree(get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length?labelSelector=" + big, 400));
        assertThat(status.get("message").asText()).contains("limit 4096");
    }

    @Test
    void staleDataAnswers503WithTheReason() throws Exception {
        publishFetchedAt(Instant.now().minusSeconds(600));
        var status = json.readTree(get("/apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods/prometheus-agent-0/prometheus_remote_storage_queue_length", 503));
        assertThat(status.get("reason").asText()).isEqualTo("ServiceUnavailable");
        assertThat(status.get("message").asText()).contains("limit 120s");
        // Discovery does not depend on data: kube-apiserver keeps the APIService available.
        get("/apis/custom.metrics.k8s.io/v1beta1", 200);
    }

    @Test
    void otherMethodsAreStatusObjectsToo() throws Exception {
        String body = given().when().post("/apis/custom.metrics.k8s.io/v1beta1").then().statusCode(405).extract().asString();
        assertThat(json.readTree(body).get("kind").asText()).isEqualTo("Status");
    }
}
