package io.rwautoscaler.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.PrometheusConfig;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.prometheus.PrometheusClient;
import io.rwautoscaler.testsupport.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: an answer over {@code autoscaler.metrics.max-series}, or of the wrong shape, fails that rule's refresh
 * (counted, its error kept) and the last good data stays served; neither becomes an empty success.
 */
class SnapshotRefresherBoundsTest {

    static final String RULE = "rwa_test_queue";
    static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

    HttpServer server;
    final AtomicReference<String> answer = new AtomicReference<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SnapshotRefresher refresher;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] b = answer.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        var config = TestConfigs.config(Map.of(
                "autoscaler.prometheus.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "autoscaler.metrics.builtins", "false",
                "autoscaler.metrics.max-series", "3",
                "autoscaler.metrics.rules.\"" + RULE + "\".query", "q"));
        MetricsConfig metrics = config.getConfigMapping(MetricsConfig.class);
        var client = new PrometheusClient(config.getConfigMapping(PrometheusConfig.class), metrics, new ObjectMapper(), registry);
        refresher = new SnapshotRefresher(client, new MetricRuleSet(metrics), (ns, seen) -> List.of(),
                ObjectLabels.DEFAULT, new SnapshotHolder(), Clock.systemUTC(), registry);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static String vector(int series) {
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        for (int i = 0; i < series; i++) {
            b.append(i == 0 ? "" : ",").append("{\"metric\":{\"namespace\":\"monitoring\",\"pod\":\"p").append(i)
                    .append("\"},\"value\":[1764849600,\"").append(i + 1).append("\"]}");
        }
        return b.append("]}}").toString();
    }

    double counter(String name) {
        var c = registry.find(name).tag("metric", RULE).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anAnswerOverTheSeriesLimitFailsTheRuleNamingItAndKeepsTheLastGoodData() {
        answer.set(vector(2));
        assertThat(refresher.runOnce(T0).data(RULE).orElseThrow().samples()).hasSize(2);

        answer.set(vector(7));
        Snapshot s = refresher.runOnce(T0.plusSeconds(15));
        assertThat(s.data(RULE).orElseThrow().samples()).hasSize(2); // the last good data, still served
        assertThat(s.data(RULE).orElseThrow().fetchedAt()).isEqualTo(T0);
        assertThat(s.lastError(RULE)).get().asString()
                .contains("rule " + RULE).contains("7 series").contains("limit of 3").contains("autoscaler.metrics.max-series");
        assertThat(counter("rwa_metrics_series_limit_exceeded")).isEqualTo(1);
        assertThat(counter("rwa_metrics_query_errors")).isEqualTo(1);

        answer.set(vector(3)); // at the limit: accepted
        assertThat(refresher.runOnce(T0.plusSeconds(30)).data(RULE).orElseThrow().samples()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":\"nope\"}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"}}",
            "{\"status\":\"success\",\"data\":\"nope\"}",
            "{\"status\":\"success\"}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"pod\":\"a\"}}]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"pod\":\"a\"},\"values\":[[1,\"1\"]]}]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"a\"},\"value\":[1,\"1\"]}]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[1764849600,\"1\"]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":\"pod\",\"value\":[1,\"1\"]}]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"pod\":7},\"value\":[1,\"1\"]}]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":\"1\"}]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":7,\"result\":[]}}",
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[7]}}",
    })
    void aWronglyShapedAnswerIsAnErrorForTheRuleNeverAnEmptySuccess(String body) {
        answer.set(vector(2));
        refresher.runOnce(T0);

        answer.set(body);
        Snapshot s = refresher.runOnce(T0.plusSeconds(15));
        assertThat(s.lastError(RULE)).as("error kept for %s", body).isPresent();
        assertThat(s.data(RULE).orElseThrow().samples()).hasSize(2);
        assertThat(s.data(RULE).orElseThrow().fetchedAt()).isEqualTo(T0);
        assertThat(counter("rwa_metrics_query_errors")).isEqualTo(1);
        assertThat(counter("rwa_metrics_empty_results")).isZero();
    }

    @Test
    void anEmptyVectorIsStillASuccess() {
        answer.set("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        Snapshot s = refresher.runOnce(T0);
        assertThat(s.lastError(RULE)).isEmpty();
        assertThat(s.data(RULE).orElseThrow().samples()).isEmpty();
    }
}
