package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static io.rwautoscaler.core.sizing.UsageShapes.AGENT;
import static io.rwautoscaler.core.sizing.UsageShapes.GI;
import static io.rwautoscaler.core.sizing.UsageShapes.MI;
import static io.rwautoscaler.core.sizing.UsageShapes.RECEIVERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizingPolicyTest {

    static final SizingPolicy.Rounding ROUNDING = SizingPolicy.Rounding.DEFAULT;

    @Test
    void defaultsAreTheIssues() {
        SizingPolicy p = SizingPolicy.defaults();
        assertThat(p.cpuPercentile()).isEqualTo(0.95);
        assertThat(p.cpuBuffer()).isEqualTo(1.1);
        assertThat(p.memoryBuffer()).isEqualTo(1.15);
        assertThat(p.cpuFloorCores()).isEqualTo(0.010);
        assertThat(p.memoryFloorBytes()).isEqualTo(64 * MI);
        assertThat(p.memoryLimitRatio()).isEqualTo(1.2);
        assertThat(p.changeThreshold()).isEqualTo(0.20);
        assertThat(p.window()).isEqualTo(Duration.ofDays(7));
        assertThat(p.minData()).isEqualTo(Duration.ofHours(24));
        assertThat(p.bounds()).isEmpty();
    }

    // 10m steps below one core, 50m from one core on; computed in whole millicores so float noise never adds a step.
    @ParameterizedTest(name = "{0} cores → {1}")
    @CsvSource({
            "0.198, 0.2",
            "0.19800000000000004, 0.2",   // 0.18 × 1.1 in binary floating point
            "0.2, 0.2",
            "0.2001, 0.21",
            "0.001, 0.01",
            "0, 0",
            "0.991, 1.0",
            "0.999, 1.0",
            "1.0, 1.0",
            "1.001, 1.05",
            "1.05, 1.05",
            "2.04, 2.05",
            "3.96, 4.0",
    })
    void cpuRoundsUpToSteps(double cores, double expected) {
        assertThat(ROUNDING.roundUpCpu(cores)).isEqualTo(expected);
    }

    // 16Mi steps below 1Gi, 64Mi from 1Gi on.
    @ParameterizedTest(name = "{0}Mi → {1}Mi")
    @CsvSource({
            "299, 304",
            "304, 304",
            "304.001, 320",
            "322, 336",        // the runbook's 280Mi × 1.15
            "1, 16",
            "1008.5, 1024",
            "1024, 1024",
            "1024.5, 1088",
            "3481.6, 3520",    // 3Gi × 1.15 = 3.4Gi
    })
    void memoryRoundsUpToSteps(double mebibytes, long expectedMebibytes) {
        assertThat(ROUNDING.roundUpMemory(mebibytes * MI)).isEqualTo(expectedMebibytes * MI);
    }

    @Test
    void theRunbooksAgentFiguresUnderTheDefaults() {
        // CPU: p95 0.18 × 1.1 = 0.198 → 200m. Memory: the max working set × 1.15, rounded up to 16Mi.
        assertThat(ROUNDING.roundUpCpu(0.18 * 1.1)).isEqualTo(0.2);
        assertThat(ROUNDING.roundUpMemory(260 * MI * 1.15)).isEqualTo(304 * MI);
        assertThat(ROUNDING.roundUpMemory(280 * MI * 1.15)).isEqualTo(336 * MI);
    }

    @Test
    void containerSpecificBoundsWinOverWorkloadWideOnes() {
        ResourceBounds wide = ResourceBounds.of(RECEIVERS, 0.5, GI, 4, 8 * GI);
        ResourceBounds sidecar = new ResourceBounds(RECEIVERS, "config-reloader", 0.01, 16 * MI, 0.1, 64 * MI);
        SizingPolicy p = SizingPolicy.defaults().withBounds(wide, sidecar);
        assertThat(p.boundsFor(RECEIVERS, "thanos-receive")).contains(wide);
        assertThat(p.boundsFor(RECEIVERS, "config-reloader")).contains(sidecar);
        assertThat(p.boundsFor(AGENT, "prometheus")).isEmpty();
        ObjectRef sameNameElsewhere = new ObjectRef(ResourceKind.DEPLOYMENTS, "monitoring", "thanos-receive");
        assertThat(p.boundsFor(sameNameElsewhere, "thanos-receive")).isEmpty();
    }

    @Test
    void rejectsPoliciesThatCannotWork() {
        SizingPolicy d = SizingPolicy.defaults();
        assertThatThrownBy(() -> new SizingPolicy(0, 1.1, 1.15, ROUNDING, 0.01, 0, List.of(), 1.2, 0.2,
                d.window(), d.minData())).hasMessageContaining("cpuPercentile");
        assertThatThrownBy(() -> new SizingPolicy(0.95, 0, 1.15, ROUNDING, 0.01, 0, List.of(), 1.2, 0.2,
                d.window(), d.minData())).hasMessageContaining("buffers");
        assertThatThrownBy(() -> new SizingPolicy(0.95, 1.1, 1.15, ROUNDING, 0.01, 0, List.of(), 0.9, 0.2,
                d.window(), d.minData())).hasMessageContaining("memoryLimitRatio");
        assertThatThrownBy(() -> d.withChangeThreshold(-0.1)).hasMessageContaining("changeThreshold");
        assertThatThrownBy(() -> d.withWindow(Duration.ofHours(12), Duration.ofHours(24))).hasMessageContaining("minData");
        assertThatThrownBy(() -> ResourceBounds.of(RECEIVERS, 4, GI, 0.5, 8 * GI)).hasMessageContaining("min ≤ max");
        assertThatThrownBy(() -> new SizingPolicy.Rounding(0, 50, MI, MI)).hasMessageContaining("positive");
    }
}
