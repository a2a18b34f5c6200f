package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rwautoscaler.core.model.EndpointFailure;
import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.metrics.SnapshotRefresher;
import io.rwautoscaler.receivers.ReceiverPolicyLoop;
import io.rwautoscaler.testsupport.RemoteWritePipeline;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Prometheus processes: a healthy agent, an agent whose remote write goes nowhere (its queue grows), and
 * the Prometheus that scrapes them. What the API serves must be what PromQL says, within one refresh.
 */
@QuarkusTest
@QuarkusTestResource(value = PipelineResource.class, restrictToAnnotatedClass = true)
class QueueLengthEndToEndTest {

    static final String PODS = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length";

    @Inject
    SnapshotRefresher refresher;

    @Inject
    ReceiverPolicyLoop receiverPolicy;

    RemoteWritePipeline pipeline;

    final ObjectMapper json = new ObjectMapper();

    Instant refreshStart;
    Instant refreshEnd;

    @BeforeEach
    void refreshOnceTheBrokenQueueHasGrown() {
        pipeline.awaitBrokenQueueAtLeast(1000, Duration.ofSeconds(90));
        // Both agents' series must have reached the scraper before the refresh that the tests read.
        pipeline.awaitBothAgentsScraped(Duration.ofSeconds(90));
        // ... and the broken agent's rates must show its endpoint failing (a few scrapes of its retry counters).
        pipeline.awaitQuery(EndpointFailure.FAILING_QUEUES, result -> result.size() == 1, Duration.ofSeconds(90));
        refreshStart = Instant.now();
        refresher.runOnce(Instant.now());
        refreshEnd = Instant.now();
    }

    JsonNode get(String path) throws Exception {
        return json.readTree(given().urlEncodingEnabled(false).get(path).then().statusCode(200).extract().asString());
    }

    /** Every value PromQL gave for {@code promql}, grouped by pod ("" without one), during the refresh (1 s resolution). */
    Map<String, Set<Double>> promqlDuringRefresh(String promql) throws Exception {
        String url = pipeline.scraperUrl() + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + (refreshStart.getEpochSecond() - 2) + "&end=" + (refreshEnd.getEpochSecond() + 1) + "&step=1s";
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Set<Double>> out = new HashMap<>();
        for (JsonNode series : json.readTree(body).path("data").path("result")) {
            String pod = series.path("metric").path("pod").asText();
            for (JsonNode v : series.path("values")) {
                out.computeIfAbsent(pod, k -> new HashSet<>()).add(Double.parseDouble(v.get(1).asText()));
            }
        }
        return out;
    }

    @Test
    void servedQueueLengthOfEachAgentIsWhatPromqlSays() throws Exception {
        JsonNode list = get(PODS + "?labelSelector=app%3Dprometheus-agent");
        assertThat(list.path("kind").asText()).isEqualTo("MetricValueList");
        Map<String, Double> served = new HashMap<>();
        list.path("items").forEach(i -> served.put(i.path("describedObject").path("name").asText(),
                Quantity.parse(i.path("value").asText()).doubleValue()));
        assertThat(served).containsOnlyKeys(RemoteWritePipeline.HEALTHY_AGENT_POD, RemoteWritePipeline.BROKEN_AGENT_POD);
        assertThat(served.get(RemoteWritePipeline.BROKEN_AGENT_POD)).isGreaterThanOrEqualTo(1000);

        Map<String, Set<Double>> direct = promqlDuringRefresh("sum by (pod) (prometheus_remote_storage_samples_pending)");
        served.forEach((pod, value) -> assertThat(direct.get(pod)).as("PromQL values of %s during the refresh", pod).contains(value));
    }

    @Test
    void v1beta2ReceiverPodGetsTheAgentsTotalSpreadOverReadyReceivers() throws Exception {
        JsonNode items = get(PODS + "?labelSelector=app%3Dthanos-receive").path("items");
        assertThat(items).hasSize(1);
        JsonNode item = items.get(0);
        assertThat(item.path("describedObject").path("name").asText()).isEqualTo(RemoteWritePipeline.RECEIVER_POD);
        assertThat(item.path("metric").path("name").asText()).isEqualTo("prometheus_remote_storage_queue_length");
        double served = Quantity.parse(item.path("value").asText()).doubleValue();
        // One ready receiver: its share is the total of the agents whose endpoint accepts samples, as served from the
        // same snapshot (the scheduler is off in tests: one refresh, in @BeforeEach). Each agent's value is tied to
        // PromQL by servedQueueLengthOfEachAgentIsWhatPromqlSays. Not compared with sum() over a 1 s query_range: the
        // refresh evaluates at a fractional second, where one agent's newer scrape can already count and the other's
        // not yet (the flake seen once under load). The broken agent's backlog (>= 1000, still served for its own pod)
        // is left out: no receiver can drain what its endpoint refuses (issue 14 item 2).
        Map<String, Double> agents = new HashMap<>();
        for (JsonNode agent : get(PODS + "?labelSelector=app%3Dprometheus-agent").path("items")) {
            agents.put(agent.path("describedObject").path("name").asText(), Quantity.parse(agent.path("value").asText()).doubleValue());
        }
        assertThat(agents.get(RemoteWritePipeline.BROKEN_AGENT_POD)).isGreaterThanOrEqualTo(1000);
        assertThat(served).as("the healthy agent's queue, served from the same snapshot").isEqualTo(agents.get(RemoteWritePipeline.HEALTHY_AGENT_POD));
        assertThat(served).isLessThan(1000);
    }

    @Test
    void lagIsKnownForBothAgentsEvenBeforeAFirstSuccessfulSend() throws Exception {
        Map<String, Double> lag = new HashMap<>();
        get("/apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods/*/prometheus_remote_storage_lag_seconds?labelSelector=app%3Dprometheus-agent")
                .path("items").forEach(i -> lag.put(i.path("describedObject").path("name").asText(),
                        Quantity.parse(i.path("value").asText()).doubleValue()));
        assertThat(lag).containsOnlyKeys(RemoteWritePipeline.HEALTHY_AGENT_POD, RemoteWritePipeline.BROKEN_AGENT_POD);
        // The broken agent never sent: its lag is at least the time since it started, never a false 0.
        assertThat(lag.get(RemoteWritePipeline.BROKEN_AGENT_POD)).isGreaterThan(lag.get(RemoteWritePipeline.HEALTHY_AGENT_POD));
        assertThat(lag.get(RemoteWritePipeline.BROKEN_AGENT_POD)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void externalApiServesEachQueueSeries() throws Exception {
        // Selectors see every target label of the series (app comes from the scrape config, not from Prometheus).
        JsonNode items = get("/apis/external.metrics.k8s.io/v1beta1/namespaces/monitoring/prometheus_remote_storage_queue_length?labelSelector=app%3Dprometheus-agent,pod%3D"
                + RemoteWritePipeline.BROKEN_AGENT_POD).path("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("metricLabels").path("remote_name").asText()).isNotEmpty();
        double served = Quantity.parse(items.get(0).path("value").asText()).doubleValue();
        assertThat(promqlDuringRefresh("sum by (pod) (prometheus_remote_storage_samples_pending)").get(RemoteWritePipeline.BROKEN_AGENT_POD))
                .contains(served);
    }

    @Test
    void readyAfterTheFirstRefreshAndItsOwnMetricsAreExposed() {
        given().get("/q/health/ready").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("rwa_metrics_last_success_timestamp_seconds{metric=\"prometheus_remote_storage_queue_length\"");
        assertThat(metrics).contains("rwa_metrics_series{metric=\"prometheus_remote_storage_queue_length\"");
        assertThat(metrics).contains("rwa_metrics_refresh_duration_seconds_count{metric=\"prometheus_remote_storage_queue_length\",outcome=\"success\"");
    }

    /**
     * Issue 14 item 2: /api/v1/receivers does not count the dead endpoint's backlog as agent-queue pressure (the
     * rule's value is the healthy agent's queue) and names the failing queue instead, with its URL and share.
     */
    @Test
    void receiverPolicyNamesTheDeadEndpointInsteadOfCountingItsBacklog() throws Exception {
        // Before each test, PromQL already named the dead endpoint's queue failing: one cycle now sees it too.
        receiverPolicy.runOnce(Instant.now());
        JsonNode report = get("/api/v1/receivers");
        JsonNode failing = report.path("failingQueues");
        assertThat(failing).as("failingQueues of %s", report).hasSize(1);
        JsonNode dead = failing.get(0);
        assertThat(dead.path("pod").asText()).isEqualTo(RemoteWritePipeline.BROKEN_AGENT_POD);
        assertThat(dead.path("namespace").asText()).isEqualTo(RemoteWritePipeline.NAMESPACE);
        assertThat(dead.path("remoteName").asText()).isEqualTo("broken-to-receive");
        assertThat(dead.path("url").asText()).isEqualTo(pipeline.brokenRemoteWriteUrl());
        if (!dead.path("failingShare").isNull()) {
            assertThat(dead.path("failingShare").asDouble()).isGreaterThanOrEqualTo(0.9);
        }
        assertThat(dead.path("reason").asText()).startsWith("endpoint failing: ").contains("left out of the agent-queue rules");

        JsonNode queueRule = null;
        for (JsonNode r : report.path("rules")) {
            if (r.path("name").asText().equals("agent-queue-high")) {
                queueRule = r;
            }
        }
        assertThat(queueRule).as("agent-queue-high in %s", report).isNotNull();
        // The broken queue is at least 1000 (awaited before each test); the healthy agent's stays near 0.
        assertThat(queueRule.path("value").isNumber()).as("agent-queue-high: %s", queueRule).isTrue();
        assertThat(queueRule.path("value").asDouble()).as("agent-queue-high: %s", queueRule).isLessThan(1000);
        assertThat(queueRule.path("state").asText()).isNotEqualTo("FIRING");
    }
}
