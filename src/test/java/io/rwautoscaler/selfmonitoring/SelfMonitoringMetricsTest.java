package io.rwautoscaler.selfmonitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.e2e.BackfilledPrometheusResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard and the alerts use only metrics the application exports: the app runs (local mode, every loop
 * scheduled every second, against a real Prometheus holding the runbook's history), its own /q/metrics is scraped,
 * and every rwa_* name in deploy/monitoring/ must be there. A few series only appear after an event this run cannot
 * cause (a failed patch, a failed review, TLS in a cluster): those are listed below with the reason, and their meter
 * name must still be written in the source, so a rename fails here too. Every query is also sent to the real
 * Prometheus, which must accept it.
 */
@QuarkusTest
@TestProfile(SelfMonitoringMetricsTest.AllLoopsScheduled.class)
@QuarkusTestResource(value = BackfilledPrometheusResource.class, restrictToAnnotatedClass = true)
class SelfMonitoringMetricsTest {

    /** Scheduler on, every loop due every second, the first right away. */
    public static class AllLoopsScheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true",
                    "autoscaler.metrics.refresh", "1s",
                    "autoscaler.shards.every", "1s",
                    "autoscaler.policy.every", "1s",
                    "autoscaler.receivers.hashring.every", "1s",
                    "autoscaler.rightsizing.initial-delay", "0s",
                    "autoscaler.rightsizing.every", "5s");
        }
    }

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path MONITORING = ROOT.resolve("deploy/monitoring");
    static final Pattern NAME = Pattern.compile("\\brwa_[a-z0-9_]+\\b");

    /** Exported only after an event this run cannot cause; exported name → why. */
    static final Map<String, String> ON_EVENT = Map.ofEntries(
            Map.entry("rwa_metrics_query_errors_total", "registered at a rule's first failed refresh"),
            Map.entry("rwa_metrics_empty_results_total", "registered at a rule's first empty answer"),
            Map.entry("rwa_metrics_nonfinite_values_total", "registered at the first NaN/Inf value"),
            Map.entry("rwa_prometheus_query_warnings_total", "registered at Prometheus' first warning"),
            Map.entry("rwa_rightsizing_flagged", "one series per workload of the report; this history has no kube_pod_owner"),
            Map.entry("rwa_rightsizing_monthly_saving", "one series per workload of the report; this history has no kube_pod_owner"),
            Map.entry("rwa_shards_patches_total", "registered at the first queueConfig patch (cluster mode)"),
            Map.entry("rwa_receiver_hashring_in_sync", "the hashring is kept in cluster mode only"),
            Map.entry("rwa_receiver_hashring_endpoints", "the hashring is kept in cluster mode only"),
            Map.entry("rwa_receiver_hashring_syncs_total", "the hashring is kept in cluster mode only"),
            Map.entry("rwa_auth_reviews_total", "authentication is off in local mode"),
            Map.entry("rwa_auth_review_failures_total", "authentication is off in local mode"),
            Map.entry("rwa_tls_certificate_files_rejected", "TLS is off in local mode"),
            Map.entry("rwa_tls_serving_certificate_expiry_timestamp_seconds", "TLS is off in local mode"));

    BackfilledPrometheusResource.Backfilled backfilled;

    final ObjectMapper json = new ObjectMapper();

    /** Every PromQL expression of the alerts and the dashboard, with where it comes from. */
    Map<String, String> expressions() throws IOException {
        Map<String, String> out = new TreeMap<>();
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(MONITORING.resolve("alerts.rules.yml").toFile());
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.put(rule.path("expr").asText(), "alert " + rule.path("alert").asText());
            }
        }
        JsonNode dashboard = json.readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.put(target.path("expr").asText(), "panel \"" + panel.path("title").asText() + "\"");
            }
        }
        assertThat(out).as("expressions found in deploy/monitoring").hasSizeGreaterThan(20);
        return out;
    }

    static Set<String> namesIn(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(expr);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    Set<String> exported() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyMetricTheDashboardAndAlertsUseIsExported() throws Exception {
        Map<String, String> expressions = expressions();
        Map<String, Set<String>> usedBy = new TreeMap<>();
        expressions.forEach((expr, where) -> namesIn(expr).forEach(n -> usedBy.computeIfAbsent(n, k -> new TreeSet<>()).add(where)));
        Set<String> expected = new TreeSet<>(usedBy.keySet());
        expected.removeAll(ON_EVENT.keySet());

        // Some API traffic (a 200 and a 404), so the API's request timer exists.
        given().get("/apis/custom.metrics.k8s.io/v1beta2").then().statusCode(200);
        given().urlEncodingEnabled(false).get("/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/nope/no_such_metric")
                .then().statusCode(404);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        Set<String> missing;
        do {
            missing = new TreeSet<>(expected);
            missing.removeAll(exported());
            if (missing.isEmpty()) {
                break;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        List<String> report = new ArrayList<>();
        for (String n : missing) {
            report.add(n + " (used by " + String.join(", ", usedBy.get(n)) + ")");
        }
        assertThat(report).as("metrics the dashboard or the alerts use that the app's /q/metrics does not export").isEmpty();
    }

    @Test
    void metricsExportedOnlyAfterAnEventAreStillNamedInTheSource() throws IOException {
        String source;
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main/java"))) {
            source = files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        Set<String> used = new TreeSet<>();
        expressions().keySet().forEach(e -> used.addAll(namesIn(e)));
        for (String name : ON_EVENT.keySet()) {
            assertThat(used).as("%s is listed as exported on an event but no longer used: drop it from ON_EVENT", name).contains(name);
            String meter = name.replaceAll("(_seconds)?_(count|sum|bucket|max)$", "").replaceAll("_total$", "");
            assertThat(source.contains("\"" + meter + "\"") || source.contains("\"" + name + "\""))
                    .as("%s (%s): no meter named \"%s\" in src/main/java any more; was it renamed?", name, ON_EVENT.get(name), meter)
                    .isTrue();
        }
    }

    @Test
    void prometheusAcceptsEveryQuery() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, String> e : expressions().entrySet()) {
            String promql = e.getKey().replace("$namespace", ".*");
            String url = backfilled.prometheus().baseUrl() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                refused.add(e.getValue() + ": " + r.body());
            }
        }
        assertThat(refused).as("queries Prometheus refuses").isEmpty();
    }
}
