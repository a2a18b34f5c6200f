package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.sizing.RightSizingLoop;
import io.rwautoscaler.sizing.RightSizingRun;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 5's end-to-end case: a real Prometheus holding a week backfilled with promtool ({@link RunbookWeek}), the
 * app in local mode (workloads from kube-state-metrics series), one run, then the report over HTTP. The agent is
 * flagged at 200m CPU and 304Mi (about the runbook's 300Mi) of memory; the receivers, held by their HPA at 35 % of
 * a 70 % target, are flagged from 5 down to 3 replicas, $73 a month at $0.05 per pod-hour.
 */
@QuarkusTest
@TestProfile(RightSizingEndToEndTest.RunbookPrices.class)
@QuarkusTestResource(value = RunbookWeek.Resource.class, restrictToAnnotatedClass = true)
class RightSizingEndToEndTest {

    public static class RunbookPrices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoscaler.rightsizing.price.pod-hour", "0.05",
                    "autoscaler.rightsizing.cluster", "cluster-01",
                    // The runbook's VPA bounds for the receivers; their HPA manages both requests, so these stay unused.
                    "autoscaler.rightsizing.bounds.receivers.workload", "monitoring/statefulset/thanos-receive",
                    "autoscaler.rightsizing.bounds.receivers.min-cpu", "500m",
                    "autoscaler.rightsizing.bounds.receivers.min-memory", "1Gi",
                    "autoscaler.rightsizing.bounds.receivers.max-cpu", "4000m",
                    "autoscaler.rightsizing.bounds.receivers.max-memory", "8Gi");
        }
    }

    static final long MI = 1L << 20;

    @Inject
    RightSizingLoop loop;

    RunbookWeek week;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void flagsTheRunbooksAgentAndReceiversFromAWeekInARealPrometheus() throws Exception {
        JsonNode before = json.readTree(given().get("/api/v1/rightsizing").then().statusCode(503)
                .contentType("application/json").extract().asString());
        assertThat(before.path("kind").asText()).isEqualTo("Status");
        assertThat(before.path("message").asText()).contains("no right-sizing report yet");

        long started = System.nanoTime();
        RightSizingRun run = loop.runOnce(week.end).orElseThrow();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // A measurement for the issue, not an assertion (timings belong in benchmarks/).
        System.err.printf("[rightsizing e2e] %d samples: generated in %d ms, promtool %d ms, Prometheus ready in %d ms;"
                        + " run %d ms with %d usage queries%n", week.samples, week.generateTime.toMillis(),
                week.backfillTime.toMillis(), week.startTime.toMillis(), took.toMillis(), run.usageQueries());

        JsonNode report = json.readTree(given().get("/api/v1/rightsizing").then().statusCode(200)
                .contentType("application/json").extract().asString());
        assertThat(report.path("partial").asBoolean()).as(report.path("partialReasons").toString()).isFalse();
        assertThat(report.path("window").asText()).isEqualTo("1w");
        assertThat(report.path("run").path("usageQueries").asInt()).isEqualTo(2);
        assertThat(report.path("items")).hasSize(3);

        JsonNode agent = item(report, "prometheus-agent");
        assertThat(agent.path("kind").asText()).isEqualTo("StatefulSet");
        assertThat(agent.path("cluster").asText()).isEqualTo("cluster-01");
        assertThat(agent.path("verdict").asText()).isEqualTo("resize");
        assertThat(agent.path("replicas").isNull()).isTrue();
        JsonNode agentCpu = agent.path("containers").get(0).path("cpu");
        assertThat(agentCpu.path("verdict").asText()).isEqualTo("resize");
        assertThat(agentCpu.path("current").path("request").asText()).isEqualTo("500m");
        assertThat(agentCpu.path("recommended").path("request").asText()).isEqualTo("200m");
        assertThat(agentCpu.path("delta").asDouble()).isCloseTo(-0.6, within(1e-9));
        assertThat(agentCpu.path("usage").path("percentile").asDouble()).isCloseTo(0.18, within(0.003));
        // Pod 0's counter restarts at 0 half-way: rate() reads that as a reset, not as negative or huge CPU.
        assertThat(agentCpu.path("usage").path("max").asDouble()).isLessThan(0.19);
        JsonNode agentCpuUsage = agentCpu.path("usage");
        // Two pods × 2016 five-minute points, less pod 1's 4-hour gap (48 points).
        assertThat(agentCpuUsage.path("points").asInt()).isBetween(2 * 2016 - 48 - 4, 2 * 2016 - 48 + 2);
        assertThat(agentCpuUsage.path("gaps").asInt()).as("pod 0 covers pod 1's gap").isZero();
        assertThat(agentCpuUsage.path("coverageHours").asDouble()).isGreaterThan(24);
        assertThat(agentCpu.path("reason").asText())
                .matches("cpu p95 0\\.1[78]\\d* cores × 1\\.1 = 0\\.19\\d* → 200m, current 500m \\(-60%\\)");
        JsonNode agentMemory = agent.path("containers").get(0).path("memory");
        assertThat(agentMemory.path("current").path("request").asText()).isEqualTo("512Mi");
        assertThat(agentMemory.path("recommended").path("request").asText()).isEqualTo("304Mi");
        assertThat(agentMemory.path("current").path("limit").asText()).isEqualTo("1Gi");
        assertThat(agentMemory.path("recommended").path("limit").asText()).isEqualTo("1Gi");
        assertThat(agentMemory.path("usage").path("max").asDouble()).isCloseTo(260.0 * MI, within(0.5 * MI));

        JsonNode receivers = item(report, "thanos-receive");
        JsonNode replicas = receivers.path("replicas");
        assertThat(replicas.path("current").asInt()).isEqualTo(5);
        assertThat(replicas.path("recommended").asInt()).isEqualTo(3);
        assertThat(replicas.path("minReplicas").asInt()).isEqualTo(3);
        assertThat(replicas.path("verdict").asText()).isEqualTo("resize");
        assertThat(replicas.path("cpuUtilization").asDouble()).isCloseTo(0.35, within(0.005));
        assertThat(replicas.path("memoryUtilization").asDouble()).isCloseTo(0.40, within(0.005));
        assertThat(replicas.path("reason").asText()).contains("of the 70% target at 5 replicas")
                .contains("it also scales on other metrics");
        assertThat(receivers.path("containers").get(0).path("cpu").path("verdict").asText()).isEqualTo("hpa-managed");
        assertThat(receivers.path("containers").get(0).path("cpu").path("usage").path("points").asInt()).isEqualTo(5 * 2016);
        assertThat(money(receivers.path("monthlyCost").path("current"))).isEqualByComparingTo("182.50");
        assertThat(money(receivers.path("monthlyCost").path("saving"))).isEqualByComparingTo("73.00");

        // No requests at all: usage reported, values suggested. Its pod replaced on day 3 still counts, by name.
        JsonNode ksm = item(report, "kube-state-metrics");
        assertThat(ksm.path("kind").asText()).isEqualTo("Deployment");
        assertThat(ksm.path("verdict").asText()).isEqualTo("no-request-set");
        JsonNode ksmCpu = ksm.path("containers").get(0).path("cpu");
        assertThat(ksmCpu.path("current").path("request").isNull()).isTrue();
        assertThat(ksmCpu.path("recommended").path("request").asText()).isEqualTo("30m");
        // Less its 3-hour gap (36 points), which is counted and not read as zero usage.
        assertThat(ksmCpu.path("usage").path("points").asInt()).isBetween(2016 - 36 - 4, 2016 - 36 + 1);
        assertThat(ksmCpu.path("usage").path("gaps").asInt()).isEqualTo(1);
        assertThat(ksmCpu.path("usage").path("gapHours").asDouble()).isCloseTo(3.0, within(0.2));
        assertThat(ksmCpu.path("usage").path("mean").asDouble()).isCloseTo(0.02, within(0.001));
        assertThat(ksm.path("containers").get(0).path("memory").path("recommended").path("request").asText()).isEqualTo("64Mi");

        JsonNode totals = report.path("totals");
        assertThat(money(totals.path("total").path("saving"))).isEqualByComparingTo("73.00");
        JsonNode namespace = totals.path("namespaces").get(0);
        assertThat(namespace.path("namespace").asText()).isEqualTo("monitoring");
        assertThat(namespace.path("workloads").asInt()).isEqualTo(3);
        assertThat(namespace.path("flaggedWorkloads").asInt()).isEqualTo(3);
        assertThat(money(totals.path("clusters").get(0).path("monthlyCost").path("saving"))).isEqualByComparingTo("73.00");

        String csv = given().get("/api/v1/rightsizing?format=csv").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("cluster,namespace,kind,workload,container,resource,verdict,current_request,"
                + "recommended_request,current_limit,recommended_limit,delta,usage_points,usage_coverage_hours,usage_gaps,"
                + "usage_percentile,usage_max,usage_mean,monthly_saving,partial,reason");
        assertThat(lines).hasSize(1 + 2 + 1 + 2 + 2); // header, agent cpu+memory, receivers replicas+cpu+memory, ksm
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("cluster-01,monitoring,StatefulSet,thanos-receive,,replicas,resize,5,3,,,-0.4,"));
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .startsWith("cluster-01,monitoring,StatefulSet,prometheus-agent,prometheus,cpu,resize,500m,200m,,,-0.6,"));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("rwa_rightsizing_recommended_cpu_cores\\{[^}]*container=\"prometheus\"[^}]*"
                + "workload=\"prometheus-agent\"} 0\\.2");
        assertThat(metrics).containsPattern("rwa_rightsizing_recommended_replicas\\{[^}]*workload=\"thanos-receive\"} 3\\.0");
        assertThat(metrics).containsPattern("rwa_rightsizing_monthly_saving\\{[^}]*workload=\"thanos-receive\"} 73\\.0");
        assertThat(metrics).contains("rwa_rightsizing_partial 0.0");
    }

    static JsonNode item(JsonNode report, String workload) {
        return StreamSupport.stream(report.path("items").spliterator(), false)
                .filter(i -> i.path("workload").asText().equals(workload)).findFirst()
                .orElseThrow(() -> new AssertionError(workload + " not in " + report.path("items")));
    }

    static BigDecimal money(JsonNode n) {
        return n.decimalValue();
    }
}
