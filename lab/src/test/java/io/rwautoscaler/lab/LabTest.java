package io.rwautoscaler.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab as a whole: determinism, the result files, and the goal checks that are facts of the model. */
class LabTest {

    static Scenario shipped(String name) {
        return ScenarioReader.read(Path.of("scenarios/" + name + ".yaml"));
    }

    @Test
    void sameSeedSameNumbers() throws IOException {
        Scenario s = shipped("spike").withStrategies(List.of(Strategy.HPA_QUEUE, Strategy.MANUAL_RUNBOOK));
        String first = Report.JSON.writeValueAsString(Report.json(Lab.run(s)));
        String second = Report.JSON.writeValueAsString(Report.json(Lab.run(s)));
        assertThat(first).isEqualTo(second);
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesJsonMarkdownAndCharts(@TempDir Path dir) throws IOException {
        Scenario s = shipped("runbook").withStrategies(List.of(Strategy.HPA_CPU_MEMORY, Strategy.HPA_QUEUE));
        Report.write(dir, Lab.run(s));
        Map<?, ?> json = Report.JSON.readValue(dir.resolve("runbook.json").toFile(), Map.class);
        Map<String, Object> queue = (Map<String, Object>) ((Map<?, ?>) json.get("strategies")).get("hpa-queue");
        assertThat(queue.keySet()).contains("absorbedSeconds", "maxLagSeconds", "samplesLost", "replicaChanges",
                "maxReplicas", "utilizationAfter", "receiverPodHours", "dominatingDelay");
        String md = Files.readString(dir.resolve("runbook.md"));
        assertThat(md).contains("| hpa-queue |", "![", "runbook-pending.png");
        for (String chart : List.of("load", "pending", "lag", "replicas", "utilization")) {
            assertThat(dir.resolve("runbook-" + chart + ".png")).isNotEmptyFile();
        }
    }

    @Test
    void aSurgeBeyondMaxReplicasIsNotAbsorbedAndLosesSamples() {
        Scenario s = shipped("beyond-max-replicas").withStrategies(List.of(Strategy.HPA_QUEUE));
        Outcome o = Outcome.of(LabRunner.run(s, LabRunner.settings(s, Strategy.HPA_QUEUE)));
        assertThat(o.absorbedSeconds()).isNull();
        assertThat(o.maxReplicas()).isEqualTo(10);
        assertThat(o.samplesLost()).isPositive();
        assertThat(o.maxLagSeconds()).isGreaterThan(s.agents().walRetention().toSeconds());
    }

    @Test
    void theRunbookSurgeIsAbsorbedWithoutLossByTheQueueHpa() {
        Scenario s = shipped("runbook");
        Simulation.Run run = LabRunner.run(s, LabRunner.settings(s, Strategy.HPA_QUEUE));
        Outcome o = Outcome.of(run);
        assertThat(o.samplesLost()).isZero();
        assertThat(o.absorbedSeconds()).isNotNull().isPositive();
        // the backlog builds before any autoscaler can act: a lab that absorbed the surge at once would be wrong
        assertThat(o.maxLagSeconds()).isGreaterThan(60);
        assertThat(o.maxPending()).isGreaterThan(Outcome.PENDING_LIMIT);
        assertThat(run.points().stream().mapToDouble(Simulation.Point::pendingMax).max().orElseThrow())
                .as("pending per agent is bounded by shards × (capacity + maxSamplesPerSend)")
                .isLessThanOrEqualTo(100.0 * (20_000 + 2_000) + 1);
    }

    @Test
    void withoutAnyScalingTheBacklogOnlyGrows() {
        Scenario s = shipped("runbook");
        Simulation.Run run = new Simulation(s, new Simulation.Settings(Strategy.HPA_QUEUE, java.util.Optional.empty(),
                false, false, false), spec -> null).run();
        Outcome o = Outcome.of(run);
        assertThat(o.absorbedSeconds()).isNull();
        assertThat(o.maxReplicas()).isEqualTo(3);
        List<Simulation.Point> pts = run.points();
        assertThat(pts.get(pts.size() - 1).lag()).isGreaterThan(pts.get(pts.size() / 2).lag());
    }
}
