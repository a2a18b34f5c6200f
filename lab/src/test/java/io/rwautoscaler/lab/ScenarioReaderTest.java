package io.rwautoscaler.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioReaderTest {

    static final String HPA_SPEC = """
            hpa:
              minReplicas: 3
              maxReplicas: 10
              metrics:
                - type: Pods
                  pods:
                    metric: {name: prometheus_remote_storage_queue_length}
                    target: {type: AverageValue, averageValue: "3000"}
            """;

    static final String MINIMAL = """
            name: small
            duration: 30m
            load:
              - {at: 0m, samplesPerSecond: 8000}
            """ + HPA_SPEC;

    static Scenario parse(String yaml) {
        return ScenarioReader.parse(yaml, "test.yaml", null);
    }

    @Test
    void defaultsComeFromUpstreamAndTheRunbook() {
        Scenario s = parse(MINIMAL);
        assertThat(s.agents().queueConfig()).isEqualTo(new Scenario.QueueSettings(1, 50, 10_000, 2_000,
                Duration.ofSeconds(5), Duration.ofMillis(30), Duration.ofSeconds(5), Duration.ofMinutes(1)));
        assertThat(s.agents().walRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(s.receivers().samplesPerSecondPerReplica()).isEqualTo(3500);
        assertThat(s.receivers().startup()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.receivers().hashringPropagation()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.observation().hpaSync()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.strategies()).containsExactly(Strategy.values());
        assertThat(s.hpa().getMaxReplicas()).isEqualTo(10);
    }

    @Test
    void theWholeManifestOrJustItsSpec() throws IOException {
        Scenario manifest = ScenarioReader.read(Path.of("scenarios/runbook.yaml"));
        assertThat(manifest.hpa().getBehavior().getScaleUp().getStabilizationWindowSeconds()).isEqualTo(300);
        assertThat(manifest.hpa().getMetrics()).hasSize(3);
        assertThat(parse(MINIMAL).hpa().getMetrics().get(0).getPods().getMetric().getName())
                .isEqualTo("prometheus_remote_storage_queue_length");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "colour: red|test.yaml: colour: unknown key",
            "agents: {count: three}|test.yaml: agents.count: must be a whole number",
            "agents: {queueConfig: {maxShards: 0}}|test.yaml: agents.queueConfig.maxShards: must be between 1",
            "agents: {queueConfig: {minShards: 20, maxShards: 10}}|agents.queueConfig.maxShards: must be at least minShards",
            "agents: {walRetention: soon}|test.yaml: agents.walRetention: must be a duration",
            "receivers: {startupSeconds: soon}|receivers.startupSeconds: must be a number of seconds",
            "receivers: {cpuRequest: lots}|receivers.cpuRequest: must be a CPU quantity",
            "receivers: {hashringAlgorithm: random}|receivers.hashringAlgorithm: must be hashmod or ketama",
            "receivers: {podManagementPolicy: Sometimes}|receivers.podManagementPolicy: must be OrderedReady or Parallel",
            "strategies: [hpa-magic]|strategies: unknown strategy \"hpa-magic\"",
            "strategies: [hpa-queue, hpa-queue]|strategies: \"hpa-queue\" is listed twice",
            "observation: {hpaSync: 0s}|observation.hpaSync: must be positive",
            "loadCsv: x.csv|test.yaml: load: give exactly one of load"})
    void wrongInputNamesTheKey(String extra, String message) {
        assertThatThrownBy(() -> parse(MINIMAL + extra + "\n"))
                .isInstanceOf(ScenarioException.class).hasMessageContaining(message);
    }

    @Test
    void wrongHpaNamesTheKey() {
        String base = "name: x\nduration: 30m\nload: [{at: 0m, samplesPerSecond: 1}]\n";
        assertThatThrownBy(() -> parse(base)).hasMessageContaining("test.yaml: hpa: is required");
        assertThatThrownBy(() -> parse(base + "hpa: {apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, spec: {maxReplicas: 3}}"))
                .hasMessageContaining("hpa.apiVersion: must be autoscaling/v2");
        assertThatThrownBy(() -> parse(base + "hpa: {maxReplicas: 3, minReplicas: 5}"))
                .hasMessageContaining("hpa.minReplicas: must be between 1 and maxReplicas (3)");
        assertThatThrownBy(() -> parse(base + "hpa: {maxReplicas: 3, metrics: [{type: Magic}]}"))
                .hasMessageContaining("hpa.metrics[0].type: must be one of");
        assertThatThrownBy(() -> parse(base + "hpa: {maxReplicas: 3, replicas: 4}"))
                .hasMessageContaining("hpa.replicas: unknown key");
        assertThatThrownBy(() -> parse(base + "hpa: {maxReplicas: 3, behavior: {scaleUp: {stabilisationWindowSeconds: 60}}}"))
                .hasMessageContaining("hpa.behavior.scaleUp.stabilisationWindowSeconds: unknown key");
        // what only kube-apiserver's validation (the product's converter, io.rwautoscaler.hpa.HpaSpecs) rejects
        assertThatThrownBy(() -> parse(base + "hpa: {maxReplicas: 3, behavior: {scaleUp: {stabilizationWindowSeconds: 7200}}}"))
                .hasMessageContaining("hpa: rejected as kube-apiserver would: hpa.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 7200");
        assertThatThrownBy(() -> parse(base + "hpa: {maxReplicas: many}"))
                .hasMessageContaining("hpa: not an autoscaling/v2 HorizontalPodAutoscaler");
        assertThatThrownBy(() -> parse(base.replace("duration: 30m", "duration: 90s") + HPA_SPEC))
                .hasMessageContaining("duration: must be at least 2m, got 1m30s");
        assertThatThrownBy(() -> parse(base.replace("name: x", "name: My Scenario") + HPA_SPEC))
                .hasMessageContaining("name: must be lower-case");
        assertThatThrownBy(() -> parse("name: x\nname: y\n")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse(MINIMAL + "load: [{at: 10m, samplesPerSecond: 1}, {at: 5m, samplesPerSecond: 2}]\n"))
                .hasMessageContaining("not valid YAML"); // load given twice
        assertThatThrownBy(() -> parse(MINIMAL.replace("{at: 0m, samplesPerSecond: 8000}",
                "{at: 10m, samplesPerSecond: 1}\n  - {at: 5m, samplesPerSecond: 2}")))
                .hasMessageContaining("load[1].at: points must be in time order");
    }

    @Test
    void loadFromCsvRelativeToTheScenario(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("curve.csv"), "seconds,samplesPerSecond\n0,8000\n600,8000\n600,16000\n");
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, MINIMAL.replace("load:\n  - {at: 0m, samplesPerSecond: 8000}\n", "loadCsv: curve.csv\n"));
        Scenario s = ScenarioReader.read(file);
        assertThat(s.load().at(599)).isEqualTo(8000);
        assertThat(s.load().at(601)).isEqualTo(16000);
        assertThat(s.load().firstChangeSeconds()).isEqualTo(600);

        Files.writeString(dir.resolve("curve.csv"), "0,8000\n600,lots\n");
        assertThatThrownBy(() -> ScenarioReader.read(file)).hasMessageContaining("s.yaml: loadCsv: curve.csv line 2");
    }

    @Test
    void everyShippedScenarioReads() throws IOException {
        try (var files = Files.list(Path.of("scenarios"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".yaml")).map(ScenarioReader::read).map(Scenario::name))
                    .containsExactlyInAnyOrder("runbook", "ramp", "daily-cycle", "spike", "beyond-max-replicas");
        }
    }
}
