package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.receivers.ReceiverCycle;
import io.rwautoscaler.receivers.ReceiverPolicyLoop;
import io.rwautoscaler.testsupport.InstantQuery;
import io.rwautoscaler.testsupport.Series;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook's scenario on a real Prometheus with backfilled history (local mode: the StatefulSet comes from
 * kube-state-metrics series): traffic doubling from 8,000 to 16,000 samples/s with 3 receivers fires the CPU
 * and queue rules and yields 5–6 receivers; the calm window before it yields nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = BackfilledPrometheusResource.class, restrictToAnnotatedClass = true)
class ReceiverPolicyEndToEndTest {

    @Inject
    ReceiverPolicyLoop loop;

    BackfilledPrometheusResource.Backfilled backfilled;

    final ObjectMapper json = new ObjectMapper();

    JsonNode report() throws Exception {
        return json.readTree(given().get("/api/v1/receivers").then().statusCode(200).contentType("application/json")
                .extract().asString());
    }

    @Test
    void trafficDoublingWithThreeReceiversRecommendsFiveToSix() throws Exception {
        ReceiverCycle cycle = loop.runOnce(backfilled.history().end());

        assertThat(cycle.policy().source()).isEqualTo("file " + backfilled.policyFile());
        assertThat(cycle.policy().valid()).as("policy from the file: %s", cycle.policy().lastError()).isTrue();
        assertThat(cycle.ruleErrors()).as("every default rule finds its series").isEmpty();
        JsonNode report = report();
        assertThat(report.path("fleet").path("replicas").asInt()).isEqualTo(3);
        assertThat(report.path("fleet").path("samplesPerSecond").asDouble()).isCloseTo(16000, org.assertj.core.data.Offset.offset(1.0));

        List<String> firing = new ArrayList<>();
        report.path("rules").forEach(r -> {
            assertThat(r.path("state").asText()).as("rule %s", r.path("name").asText()).isNotEqualTo("UNKNOWN");
            if (r.path("state").asText().equals("FIRING")) {
                firing.add(r.path("name").asText());
            }
        });
        assertThat(firing).containsExactlyInAnyOrder(RunbookRules.RECEIVER_CPU_HIGH, RunbookRules.AGENT_QUEUE_HIGH);
        JsonNode cpu = rule(report, RunbookRules.RECEIVER_CPU_HIGH);
        assertThat(cpu.path("value").asDouble()).isCloseTo(0.95, org.assertj.core.data.Offset.offset(0.01));
        assertThat(cpu.path("threshold").asDouble()).isEqualTo(0.8);
        assertThat(cpu.path("condition").asText()).isEqualTo("> 0.8 for 10m");
        assertThat(cpu.path("heldForSeconds").asLong()).isGreaterThanOrEqualTo(600);

        JsonNode recommendations = report.path("recommendations");
        assertThat(recommendations).hasSize(1);
        JsonNode add = recommendations.get(0);
        assertThat(add.path("action").asText()).isEqualTo("ADD_RECEIVERS");
        assertThat(add.path("currentReplicas").asInt()).isEqualTo(3);
        assertThat(add.path("recommendedReplicas").asInt()).isBetween(5, 6);
        assertThat(add.path("firedBy")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(RunbookRules.RECEIVER_CPU_HIGH, RunbookRules.AGENT_QUEUE_HIGH);
        assertThat(add.path("reason").asText()).contains("16000 samples/s");
        // local mode: nothing is patched, and the report says so
        assertThat(report.path("actions")).singleElement().satisfies(a ->
                assertThat(a.path("result").asText()).isEqualTo("REPORT_ONLY"));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("rwa_receiver_rule_firing{rule=\"receiver-cpu-high\"} 1.0");
        assertThat(metrics).contains("rwa_receiver_rule_firing{rule=\"receiver-memory-high\"} 0.0");
        assertThat(metrics).containsPattern("rwa_receiver_rule_value\\{rule=\"receiver-cpu-high\"} 0\\.9[45]");
        assertThat(metrics).containsPattern("rwa_receiver_recommended_replicas(\\{[^}]*})? [56]\\.0");
    }

    @Test
    void calmWindowRecommendsNothing() throws Exception {
        loop.runOnce(backfilled.history().calmInstant());

        JsonNode report = report();
        report.path("rules").forEach(r -> assertThat(r.path("state").asText()).as("rule %s: %s", r.path("name").asText(),
                r.path("explanation").asText()).isEqualTo("NOT_FIRING"));
        assertThat(report.path("fleet").path("samplesPerSecond").asDouble()).isCloseTo(8000, org.assertj.core.data.Offset.offset(1.0));
        assertThat(report.path("fleet").path("receiversNeeded").asInt()).isEqualTo(3);
        assertThat(report.path("recommendations")).isEmpty();
        assertThat(report.path("suppressed")).isEmpty();
        assertThat(report.path("actions")).isEmpty();
    }

    @Test
    void provenValuesAreWhatPromqlSaysDirectly() {
        ReceiverCycle cycle = loop.runOnce(backfilled.history().end());

        // Each rule's window proof, run independently of the product's client.
        for (String name : List.of(RunbookRules.RECEIVER_CPU_HIGH, RunbookRules.AGENT_QUEUE_HIGH, RunbookRules.RECEIVER_CPU_LOW)) {
            var policy = cycle.policy().policy();
            var proof = policy.proof(policy.rule(name).orElseThrow());
            String query = proof.queries().values().iterator().next();
            List<Series> direct = InstantQuery.run(backfilled.prometheus().baseUrl(), query, backfilled.history().end());
            assertThat(direct).as(query).hasSize(1);
            assertThat(cycle.evaluation().status(name).orElseThrow().provenValue().getAsDouble()).as(name)
                    .isEqualTo(direct.get(0).value());
        }
    }

    @Test
    void aPolicyFileWithPromqlPrometheusRejectsKeepsThePreviousPolicy() throws Exception {
        String broken = backfilled.defaultPolicyYaml().replace("avg(sum by (namespace, pod)", "avg(sum by (namespace, pod");
        assertThat(broken).isNotEqualTo(backfilled.defaultPolicyYaml());
        loop.runOnce(backfilled.history().end()); // the file's policy is in force
        try {
            Files.writeString(backfilled.policyFile(), broken);

            ReceiverCycle cycle = loop.runOnce(backfilled.history().end());

            assertThat(cycle.policy().valid()).isFalse();
            assertThat(cycle.policy().lastError()).get().asString()
                    .contains(backfilled.policyFile().toString())
                    .contains("rule '" + RunbookRules.RECEIVER_CPU_HIGH + "'")
                    .contains("Prometheus rejects");
            // the previous policy is still evaluated
            assertThat(cycle.evaluation().status(RunbookRules.RECEIVER_CPU_HIGH).orElseThrow().firing()).isTrue();
            JsonNode policy = report().path("policy");
            assertThat(policy.path("valid").asBoolean()).isFalse();
            assertThat(policy.path("lastError").asText()).contains(RunbookRules.RECEIVER_CPU_HIGH);
            assertThat(given().get("/q/metrics").then().extract().asString())
                    .containsPattern("rwa_receiver_policy_load_errors_total(\\{[^}]*})? [1-9]")
                    .contains("rwa_receiver_policy_valid 0.0");
        } finally {
            Files.writeString(backfilled.policyFile(), backfilled.defaultPolicyYaml());
        }
        assertThat(loop.runOnce(backfilled.history().end()).policy().valid()).isTrue();
    }

    static JsonNode rule(JsonNode report, String name) {
        for (JsonNode r : report.path("rules")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + name + " in " + report);
    }
}
