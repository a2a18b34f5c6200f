package io.rwautoscaler.selfmonitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/monitoring/alerts.rules.yml (what promtool tests) and grafana-dashboard.json are the one source of the
 * self-monitoring objects: the kustomize PrometheusRule wraps the same groups, and the Helm chart ships byte-equal
 * copies. {@code -Drwa.docs.write=true} rewrites the derived files.
 */
class SelfMonitoringFilesTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path RULES = ROOT.resolve("deploy/monitoring/alerts.rules.yml");
    static final Path DASHBOARD = ROOT.resolve("deploy/monitoring/grafana-dashboard.json");
    static final Path PROMETHEUS_RULE = ROOT.resolve("deploy/monitoring/prometheusrule.yaml");
    static final Path CHART_FILES = ROOT.resolve("helm-chart/remote-write-autoscaler/files");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String REGENERATE = "regenerate with ./mvnw -B -o test -Dtest=SelfMonitoringFilesTest -Drwa.docs.write=true";

    static String prometheusRule(String rules) {
        StringBuilder out = new StringBuilder("""
                # Generated from alerts.rules.yml by SelfMonitoringFilesTest: edit that file, then regenerate.
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata:
                  name: remote-write-autoscaler
                  namespace: monitoring
                  labels:
                    app.kubernetes.io/name: remote-write-autoscaler
                spec:
                """);
        rules.lines().forEach(l -> out.append(l.isEmpty() ? "" : "  " + l).append('\n'));
        return out.toString();
    }

    @Test
    void derivedFilesAreTheSource() throws IOException {
        String rules = Files.readString(RULES);
        String dashboard = Files.readString(DASHBOARD);
        if (Boolean.getBoolean("rwa.docs.write")) {
            Files.writeString(PROMETHEUS_RULE, prometheusRule(rules));
            Files.createDirectories(CHART_FILES);
            Files.writeString(CHART_FILES.resolve("alerts.rules.yml"), rules);
            Files.writeString(CHART_FILES.resolve("grafana-dashboard.json"), dashboard);
        }
        assertThat(Files.readString(CHART_FILES.resolve("alerts.rules.yml"))).as("chart copy of the rules; " + REGENERATE).isEqualTo(rules);
        assertThat(Files.readString(CHART_FILES.resolve("grafana-dashboard.json"))).as("chart copy of the dashboard; " + REGENERATE)
                .isEqualTo(dashboard);
        JsonNode object = YAML.readTree(PROMETHEUS_RULE.toFile());
        assertThat(object.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat((Object) object.path("spec").path("groups")).as("PrometheusRule groups = alerts.rules.yml groups; " + REGENERATE)
                .isEqualTo(YAML.readTree(rules).path("groups"));
    }

    @Test
    void theDashboardIsGrafanaJsonWithUniquePanelIdsAndADataSourceVariable() throws IOException {
        JsonNode d = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(d.path("uid").asText()).isEqualTo("remote-write-autoscaler");
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id %s unique", p.path("id")).isTrue();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        }
        assertThat(d.path("templating").path("list").findValuesAsText("name")).contains("datasource", "namespace");
    }

    @Test
    void theKustomizeComponentRendersTheRuleAndTheDashboard() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")))
                        || "1".equals(System.getenv("RWA_MANIFESTS_REQUIRED")),
                "kubectl not on PATH");
        Process p = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("deploy/monitoring").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        var objects = YAML.readValues(YAML.getFactory().createParser(out), JsonNode.class).readAll();
        assertThat(objects).extracting(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("PrometheusRule/remote-write-autoscaler", "ConfigMap/remote-write-autoscaler-dashboard");
        JsonNode cm = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
        assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat((Object) new ObjectMapper().readTree(cm.path("data").path("remote-write-autoscaler.json").asText()))
                .isEqualTo(new ObjectMapper().readTree(DASHBOARD.toFile()));
    }
}
