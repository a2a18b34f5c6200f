package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.replay.ReplayService;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay on a real Prometheus holding a backfilled week with a two-hour surge on day 5 ({@link SurgeWeek}):
 * the receiver policy would have scaled out (CPU and queue rules, 3 → 6) within 20 minutes of the surge's start,
 * scaled back in after it on the fleet it would have had, and done nothing on the calm days.
 */
@QuarkusTest
@QuarkusTestResource(value = SurgeWeek.class, restrictToAnnotatedClass = true)
class ReplayEndToEndTest {

    final ObjectMapper json = new ObjectMapper();

    @Inject
    ReplayService service;

    JsonNode replay(String step) throws Exception {
        return json.readTree(given().queryParam("from", SurgeWeek.from().toString())
                .queryParam("to", String.valueOf(SurgeWeek.end.getEpochSecond())).queryParam("step", step)
                .get("/api/v1/replay").then().statusCode(200).contentType("application/json").extract().asString());
    }

    @Test
    void aSurgeOnDayFiveIsScaledOutWithinTwentyMinutesAndBackInAfterwardsAndTheCalmDaysStayQuiet() throws Exception {
        JsonNode report = replay("5m");
        assertThat(report.path("kind").asText()).isEqualTo("ReplayReport");
        assertThat(report.path("apiVersion").asText()).isEqualTo("rwa/v1");
        assertThat(report.path("window").path("steps").asInt()).isEqualTo(7 * 288 + 1);
        assertThat(report.path("fleet").path("initialReplicas").asInt()).isEqualTo(3);

        List<JsonNode> decisions = new ArrayList<>();
        report.path("decisions").forEach(decisions::add);
        Instant surge = SurgeWeek.surgeStart();
        JsonNode out = decisions.stream().filter(d -> d.path("action").asText().equals("ADD_RECEIVERS")).findFirst()
                .orElseThrow(() -> new AssertionError("no scale-out in " + report.path("decisions")));
        assertThat(out.path("loop").asText()).isEqualTo("receivers");
        assertThat(out.path("amount").asText()).isEqualTo("replicas 3 → 6");
        assertThat(out.path("rules")).extracting(JsonNode::asText)
                .contains(RunbookRules.RECEIVER_CPU_HIGH, RunbookRules.AGENT_QUEUE_HIGH);
        assertThat(out.path("outcome").asText()).isEqualTo("applied");
        assertThat(out.path("applyWouldAct").asBoolean()).isTrue();
        assertThat(out.path("figures").path("samples_per_second").asDouble()).isCloseTo(16000, org.assertj.core.data.Offset.offset(1.0));
        Instant outAt = Instant.parse(out.path("time").asText());
        assertThat(Duration.between(surge, outAt)).isBetween(Duration.ZERO, Duration.ofMinutes(20));

        JsonNode in = decisions.stream().filter(d -> d.path("action").asText().equals("REMOVE_RECEIVERS")).findFirst()
                .orElseThrow(() -> new AssertionError("no scale-in in " + report.path("decisions")));
        assertThat(in.path("amount").asText()).isEqualTo("replicas 6 → 3");
        assertThat(in.path("rules")).extracting(JsonNode::asText).contains(RunbookRules.RECEIVER_CPU_LOW);
        Instant inAt = Instant.parse(in.path("time").asText());
        assertThat(inAt).isAfter(SurgeWeek.surgeEnd());

        // Nothing before the surge or after the fleet is back at 3: the calm days have no decision of any loop.
        assertThat(decisions).allSatisfy(d -> assertThat(Instant.parse(d.path("time").asText()))
                .as("decision %s", d).isBetween(surge, inAt));
        assertThat(report.path("totals").path("decisions").path("receivers").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(report.path("totals").path("replayedReplicaHours").asDouble())
                .isGreaterThan(report.path("totals").path("recordedReplicaHours").asDouble());
        assertThat(report.path("totals").path("disagreements")).singleElement().satisfies(p -> {
            assertThat(Instant.parse(p.path("from").asText())).isEqualTo(outAt);
            assertThat(p.path("replayedMax").asInt()).isEqualTo(6);
            assertThat(p.path("recordedMax").asDouble()).isEqualTo(3);
        });
        // The replayed fleet next to the real one, step by step.
        JsonNode columns = report.path("timeline").path("columns");
        int afterOut = (int) (Duration.between(SurgeWeek.from(), outAt).toMinutes() / 5) + 1;
        assertThat(columns.path("recorded_replicas").get(afterOut).asDouble()).isEqualTo(3);
        assertThat(columns.path("replayed_replicas").get(afterOut).asInt()).isEqualTo(6);
        assertThat(columns.path("rule:" + RunbookRules.RECEIVER_CPU_HIGH).get(afterOut).asDouble())
                .isCloseTo(0.475, org.assertj.core.data.Offset.offset(0.01));

        // Range queries only: the same count at twice the step.
        int queries = report.path("queries").asInt();
        assertThat(queries).isBetween(10, 40);
        assertThat(replay("10m").path("queries").asInt()).isEqualTo(queries);
    }

    @Test
    void csvAndSvg() throws Exception {
        String csv = given().queryParam("from", SurgeWeek.surgeStart().minus(Duration.ofHours(1)).toString())
                .queryParam("to", SurgeWeek.surgeEnd().plus(Duration.ofHours(3)).toString()).queryParam("format", "csv")
                .get("/api/v1/replay").then().statusCode(200).contentType("text/csv").extract().asString();
        String[] lines = csv.split("\n");
        assertThat(lines[0]).startsWith("time,loop,target,action,amount,outcome,apply_would_act");
        assertThat(csv).contains("ADD_RECEIVERS,replicas 3 → 6,applied,true");

        String svg = given().queryParam("from", SurgeWeek.surgeStart().minus(Duration.ofHours(1)).toString())
                .queryParam("to", SurgeWeek.surgeEnd().plus(Duration.ofHours(3)).toString()).queryParam("format", "svg")
                .get("/api/v1/replay").then().statusCode(200).contentType("image/svg+xml").extract().asString();
        // Kept for the README's picture (docs/replay-example.svg is this file).
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "replay-example.svg"), svg);
        // Text is drawn as outlines, so check the drawing itself: well-formed SVG with the replayed fleet's line
        // (blue) and the decision markers (black diamonds).
        assertThat(svg).contains("<svg").contains("rgb(31,119,180)").contains("fill:rgb(0,0,0)");
        assertThat(svg.split("<path", -1).length).isGreaterThan(50);
        javax.xml.parsers.DocumentBuilderFactory xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        assertThat(xml.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .getDocumentElement().getNodeName()).isEqualTo("svg");
    }

    @Test
    void badWindowsAreRefusedSayingWhatToChange() {
        given().queryParam("from", "1764496800").queryParam("to", "1764496800").get("/api/v1/replay").then()
                .statusCode(400).body("kind", org.hamcrest.Matchers.equalTo("Status"))
                .body("message", org.hamcrest.Matchers.containsString("must be before"));
        given().queryParam("from", "2026-10-01T00:00:00Z").queryParam("to", "2026-11-15T00:00:00Z").get("/api/v1/replay")
                .then().statusCode(400).body("message", org.hamcrest.Matchers.containsString("31 days"));
        given().queryParam("from", "2026-11-01T00:00:00Z").queryParam("to", "2026-11-08T00:00:00Z")
                .queryParam("step", "30s").get("/api/v1/replay").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("use a step of at least 55s"));
        given().queryParam("from", "yesterday").get("/api/v1/replay").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("RFC 3339"));
        given().queryParam("step", "5 minutes").get("/api/v1/replay").then().statusCode(400);
        given().queryParam("format", "xml").get("/api/v1/replay").then().statusCode(400);
    }

    @Test
    void aSecondReplayWhileOneRunsGets429() throws Exception {
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> given()
                .queryParam("from", SurgeWeek.from().toString()).queryParam("to", SurgeWeek.end.toString())
                .queryParam("step", "1m").get("/api/v1/replay").then().extract().statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!service.running() && !first.isDone() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(service.running()).as("the first replay is running").isTrue();
        given().get("/api/v1/replay").then().statusCode(429).body("kind", org.hamcrest.Matchers.equalTo("Status"))
                .body("reason", org.hamcrest.Matchers.equalTo("TooManyRequests"))
                .body("message", org.hamcrest.Matchers.containsString("one at a time"));
        assertThat(first.get()).isEqualTo(200);
    }
}
