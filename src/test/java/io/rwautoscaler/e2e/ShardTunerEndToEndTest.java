package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.shards.ShardTunerLoop;
import io.rwautoscaler.shards.ShardReport;
import io.rwautoscaler.testsupport.ShardTunerPipeline;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shard tuner against real Prometheus agents (local mode): one whose receiver answers slowly runs at its
 * maxShards and gets a higher maxShards recommended, for that reason; one whose receiver answers 500 is reported as
 * receivers-bottleneck with no raise. The runbook's 15-minute window cannot pass in a test: this profile uses
 * 20-second windows and a 10-minute "7-day" history (see README, "Shard tuner").
 */
@QuarkusTest
@TestProfile(ShardTunerEndToEndTest.ShortWindows.class)
@QuarkusTestResource(value = ShardTunerPipelineResource.class, restrictToAnnotatedClass = true)
class ShardTunerEndToEndTest {

    public static class ShortWindows implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "autoscaler.shards.raise-window", "20s",
                    "autoscaler.shards.scale-in-window", "60s",
                    "autoscaler.shards.observe.window-resolution", "2s",
                    "autoscaler.shards.observe.rate-window", "15s",
                    "autoscaler.shards.observe.history-window", "10m",
                    "autoscaler.shards.observe.history-resolution", "2s",
                    "autoscaler.shards.observe.min-history", "10s");
        }
    }

    static final Duration TIMEOUT = Duration.ofMinutes(4);

    @Inject
    ShardTunerLoop loop;

    ShardTunerPipeline pipeline;

    /** Runs cycles on the wall clock until the pod's queue satisfies {@code done}; returns it. */
    ShardReport.Queue awaitQueue(String pod, Predicate<ShardReport.Queue> done) throws InterruptedException {
        Instant started = Instant.now();
        ShardReport.Queue last = null;
        while (Duration.between(started, Instant.now()).compareTo(TIMEOUT) < 0) {
            ShardReport r = loop.runOnce(Instant.now());
            Optional<ShardReport.Queue> q = r.queues().stream().filter(x -> x.agent().name().equals(pod)).findFirst();
            if (q.isPresent()) {
                last = q.get();
                if (done.test(last)) {
                    System.out.printf("[e2e] %s reached %s after %ds: %s%n", pod, last.decision().state().wireName(),
                            Duration.between(started, Instant.now()).toSeconds(), last.decision().reason());
                    return last;
                }
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("after " + TIMEOUT + ", " + pod + " is " + (last == null ? "not reported"
                : last.decision().state().wireName() + ": " + last.decision().reason() + " / " + last.observation())
                + pipeline.logTails(10));
    }

    @Test
    void anAgentWithASlowReceiverRunsAtMaxShardsAndGetsAHigherMaxShardsRecommended() throws Exception {
        ShardReport.Queue q = awaitQueue(ShardTunerPipeline.SLOW_POD, x -> x.decision().recommended()
                .effectiveMaxShards() > x.decision().current().effectiveMaxShards());

        assertThat(q.decision().current().effectiveMaxShards()).isEqualTo(ShardTunerPipeline.SLOW_MAX_SHARDS);
        assertThat(q.observation().shards()).hasValue(ShardTunerPipeline.SLOW_MAX_SHARDS);
        assertThat(q.observation().shardsDesired().getAsDouble()).isGreaterThan(ShardTunerPipeline.SLOW_MAX_SHARDS);
        assertThat(q.decision().reason()).startsWith("shards at max " + ShardTunerPipeline.SLOW_MAX_SHARDS + " for ");
        assertThat(q.decision().state().wireName()).isIn("raise", "waiting-for-drain");
        assertThat(pipeline.receiver().requests("slow")).isPositive();

        JsonNode queue = queueJson(ShardTunerPipeline.SLOW_POD);
        assertThat(queue.path("current").path("maxShards").asInt()).isEqualTo(ShardTunerPipeline.SLOW_MAX_SHARDS);
        assertThat(queue.path("recommended").path("maxShards").asInt()).isGreaterThan(ShardTunerPipeline.SLOW_MAX_SHARDS);
        assertThat(queue.path("reason").asText()).contains("shards at max");
        assertThat(queue.path("observed").path("shardsDesired").asDouble()).isGreaterThan(ShardTunerPipeline.SLOW_MAX_SHARDS);
        assertThat(queue.path("lastAction").path("outcome").asText()).isIn("not-patchable", "");
    }

    /** Every send answered 500: the endpoint refuses everything, which is what the operator must hear (issue 14). */
    @Test
    void anAgentWhoseReceiverAnswers500ToEverySendIsEndpointFailingWithNoShardChange() throws Exception {
        ShardReport.Queue q = awaitQueue(ShardTunerPipeline.FAILING_POD,
                x -> x.decision().state().wireName().equals("endpoint-failing"));

        assertThat(q.decision().recommended()).isEqualTo(q.decision().current());
        assertThat(q.decision().safeToApply()).isFalse();
        assertThat(q.decision().recommended().effectiveMaxShards()).isEqualTo(ShardTunerPipeline.FAILING_MAX_SHARDS);
        assertThat(q.decision().reason()).startsWith("endpoint failing: ")
                .containsPattern("\\d+(\\.\\d+)?% of samples tried were retried or dropped|none sent")
                .contains("last errors recoverable errors (HTTP 5xx, 429");
        assertThat(q.observation().retriedRate().getAsDouble()).isPositive();
        assertThat(q.observation().pendingSamples().getAsDouble()).isGreaterThan(5000);

        JsonNode queue = queueJson(ShardTunerPipeline.FAILING_POD);
        assertThat(queue.path("state").asText()).isEqualTo("endpoint-failing");
        assertThat(queue.path("safeToApply").asBoolean(true)).isFalse();
        assertThat(queue.path("changes")).isEmpty();
        assertThat(queue.path("recommended").path("maxShards").asInt()).isEqualTo(ShardTunerPipeline.FAILING_MAX_SHARDS);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("rwa_shards_state\\{[^}]*agent=\"prom-agent-failing-0\"[^}]*"
                + "state=\"endpoint-failing\"[^}]*} 1\\.0");
    }

    JsonNode queueJson(String pod) throws Exception {
        JsonNode body = new ObjectMapper().readTree(given().get("/api/v1/agents").then().statusCode(200).extract()
                .asString());
        assertThat(body.path("kind").asText()).isEqualTo("ShardTunerReport");
        assertThat(body.path("mode").asText()).isEqualTo("recommend");
        for (JsonNode agent : body.path("agents")) {
            if (agent.path("name").asText().equals(pod)) {
                assertThat(agent.path("kind").asText()).isEqualTo("local");
                assertThat(agent.path("queues")).hasSize(1);
                JsonNode queue = agent.path("queues").get(0);
                assertThat(Set.of("ok", "raise", "lower", "waiting-for-drain", "cooldown", "reverted",
                        "receivers-bottleneck", "insufficient-data", "budget-exhausted", "endpoint-failing"))
                        .contains(queue.path("state").asText());
                return queue;
            }
        }
        throw new AssertionError(pod + " not in " + body);
    }
}
