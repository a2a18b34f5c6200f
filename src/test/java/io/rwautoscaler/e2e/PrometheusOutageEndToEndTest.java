package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.metrics.SnapshotRefresher;
import io.rwautoscaler.testsupport.RemoteWritePipeline;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Prometheus the adapter reads is killed and restarted: the last good snapshot is served until the
 * staleness limit, then 503 with a Status that says why, readiness drops, and everything recovers by itself.
 */
@QuarkusTest
@TestProfile(PrometheusOutageEndToEndTest.ShortStaleness.class)
@QuarkusTestResource(value = PipelineResource.class, restrictToAnnotatedClass = true)
class PrometheusOutageEndToEndTest {

    public static class ShortStaleness implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoscaler.metrics.max-staleness", "12s", "autoscaler.metrics.refresh", "1s",
                    "autoscaler.prometheus.timeout", "1s");
        }
    }

    static final String AGENT = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/"
            + RemoteWritePipeline.BROKEN_AGENT_POD + "/prometheus_remote_storage_queue_length";

    @Inject
    SnapshotRefresher refresher;

    RemoteWritePipeline pipeline;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void servesLastGoodDataThenStatus503ThenRecovers() throws Exception {
        pipeline.awaitBrokenQueueAtLeast(1, Duration.ofSeconds(90));
        pipeline.awaitBothAgentsScraped(Duration.ofSeconds(90));
        Instant lastGood = Instant.now();
        refresher.runOnce(lastGood);
        given().get(AGENT).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);

        pipeline.scraper().stop();
        refresher.runOnce(Instant.now());
        // Within the limit the last good value is still served.
        given().get(AGENT).then().statusCode(200);

        // The limit is generous so that a loaded machine cannot make the data stale before the check above.
        Thread.sleep(Math.max(0, 12_500 - Duration.between(lastGood, Instant.now()).toMillis()));
        refresher.runOnce(Instant.now());
        JsonNode status = json.readTree(given().get(AGENT).then().statusCode(503).contentType("application/json").extract().asString());
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("reason").asText()).isEqualTo("ServiceUnavailable");
        assertThat(status.path("message").asText()).contains("limit 12s").contains("cannot connect to " + pipeline.scraperUrl());
        given().get("/q/health/ready").then().statusCode(503);
        // Discovery stays available so kube-apiserver does not drop the APIService.
        given().get("/apis/custom.metrics.k8s.io/v1beta2").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertThat(metrics).contains("rwa_metrics_query_errors_total{metric=\"prometheus_remote_storage_queue_length\"}");

        pipeline.scraper().restart();
        pipeline.awaitQuery("prometheus_remote_storage_samples_pending", r -> r.size() == 2, Duration.ofSeconds(60));
        refresher.runOnce(Instant.now());
        given().get(AGENT).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
