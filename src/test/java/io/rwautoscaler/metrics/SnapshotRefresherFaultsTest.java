package io.rwautoscaler.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.rwautoscaler.core.metrics.Snapshot;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query answers a real Prometheus gives only in odd moments, from a loopback stand-in: an error for one rule,
 * warnings, NaN and Inf values, and no series at all. Each is counted; none is served as a value.
 */
@QuarkusTest
@QuarkusTestResource(value = SnapshotRefresherFaultsTest.OddPrometheus.class, restrictToAnnotatedClass = true)
class SnapshotRefresherFaultsTest {

    public static class OddPrometheus implements QuarkusTestResourceLifecycleManager {
        HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/api/v1/query", ex -> {
                String q = URLDecoder.decode(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                String body;
                int status = 200;
                if (q.contains("timestamp(prometheus_remote_storage_samples_pending")) {
                    // When each queue's value was sampled, asked beside the value query.
                    body = """
                            {"status":"success","data":{"resultType":"vector","result":[
                             {"metric":{"namespace":"monitoring","pod":"a","remote_name":"q"},"value":[1764072000,"1764071990.5"]}]}}""";
                } else if (q.contains("timestamp(")) {
                    body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
                } else if (q.contains("samples_pending")) {
                    body = """
                            {"status":"success","warnings":["partial response"],"data":{"resultType":"vector","result":[
                             {"metric":{"namespace":"monitoring","pod":"a","remote_name":"q"},"value":[1764072000,"12"]},
                             {"metric":{"namespace":"monitoring","pod":"b","remote_name":"q"},"value":[1764072000,"NaN"]},
                             {"metric":{"namespace":"monitoring","pod":"c","remote_name":"q"},"value":[1764072000,"+Inf"]}]}}""";
                } else if (q.contains("shards_desired")) {
                    body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
                } else if (q.contains("highest_timestamp")) {
                    status = 422;
                    body = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples\"}";
                } else {
                    body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                            + "{\"metric\":{\"namespace\":\"monitoring\",\"pod\":\"a\"},\"value\":[1764072000,\"1\"]}]}}";
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            server.start();
            return Map.of("autoscaler.prometheus.url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    @Inject
    SnapshotRefresher refresher;
    @Inject
    MeterRegistry registry;

    double count(String name, String metric) {
        var c = registry.find(name).tag("metric", metric).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void errorsWarningsNonFiniteAndEmptyResultsAreCountedAndNeverServed() {
        Snapshot s = refresher.runOnce(Instant.now());
        String queue = "prometheus_remote_storage_queue_length";
        assertThat(s.data(queue).orElseThrow().samples()).extracting(x -> x.label("pod")).containsExactly("a");
        assertThat(s.data(queue).orElseThrow().samples().get(0).timestamp()).isEqualTo(Instant.ofEpochMilli(1764071990500L));
        assertThat(count("rwa_metrics_nonfinite_values", queue)).isEqualTo(2);
        assertThat(count("rwa_metrics_query_warnings", queue)).isEqualTo(1);
        assertThat(count("rwa_metrics_empty_results", "prometheus_remote_storage_shards_utilization")).isEqualTo(1);
        assertThat(count("rwa_metrics_query_errors", "prometheus_remote_storage_lag_seconds")).isEqualTo(1);
        assertThat(s.lastError("prometheus_remote_storage_lag_seconds")).get().asString().contains("too many samples");

        // NaN/Inf pods are not served; the one finite value is.
        given().get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/b/" + queue).then().statusCode(404);
        given().get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/a/" + queue).then().statusCode(200);
        // A rule that never succeeded answers 503 with Prometheus' own words, and readiness says so.
        given().get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/a/prometheus_remote_storage_lag_seconds")
                .then().statusCode(503);
        String ready = given().get("/q/health/ready").then().statusCode(503).extract().asString();
        assertThat(ready).contains("too many samples");
    }
}
