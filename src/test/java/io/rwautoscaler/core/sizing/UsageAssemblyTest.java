package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.rwautoscaler.core.sizing.UsageShapes.AGENT;
import static io.rwautoscaler.core.sizing.UsageShapes.MI;
import static io.rwautoscaler.core.sizing.UsageShapes.NOW;
import static io.rwautoscaler.core.sizing.UsageShapes.STEP;
import static io.rwautoscaler.core.sizing.UsageShapes.lastPoints;
import static org.assertj.core.api.Assertions.assertThat;

/** Specs and per-pod series joined into what {@link RightSizer} sizes. */
class UsageAssemblyTest {

    static final ContainerResources SET = ContainerResources.requests(0.5, 512 * MI);
    static final WorkloadSpec AGENT_SPEC = new WorkloadSpec(AGENT, 2, List.of(
            new WorkloadSpec.Container("prometheus", SET), new WorkloadSpec.Container("config-reloader", null)),
            Optional.empty());

    @Test
    void mergesEveryPodOfAContainerAndKeepsTheSpecsOrderAndRequests() {
        PodOwners owners = new PodOwners(List.of(AGENT), Map.of());
        Map<ContainerKey, UsageSeries> cpu = Map.of(
                new ContainerKey("monitoring", "prometheus-agent-0", "prometheus"), lastPoints(10, i -> 0.1),
                new ContainerKey("monitoring", "prometheus-agent-1", "prometheus"), lastPoints(10, i -> 0.2),
                // Not in the spec any more: left out.
                new ContainerKey("monitoring", "prometheus-agent-1", "old-sidecar"), lastPoints(10, i -> 9),
                // Nobody's pod in scope: left out.
                new ContainerKey("monitoring", "grafana-0", "prometheus"), lastPoints(10, i -> 9));
        Map<ContainerKey, UsageSeries> memory = Map.of(
                new ContainerKey("monitoring", "prometheus-agent-0", "prometheus"), lastPoints(10, i -> 200 * MI));

        List<WorkloadUsage> out = UsageAssembly.assemble("c1", List.of(AGENT_SPEC), owners, cpu, memory, STEP);

        WorkloadUsage w = out.get(0);
        assertThat(w.cluster()).isEqualTo("c1");
        assertThat(w.replicas()).isEqualTo(2);
        assertThat(w.containers()).extracting(ContainerUsage::name).containsExactly("prometheus", "config-reloader");
        ContainerUsage prometheus = w.containers().get(0);
        assertThat(prometheus.current()).isEqualTo(SET);
        assertThat(prometheus.cpu().pointCount()).isEqualTo(20);
        assertThat(prometheus.cpu().max()).isEqualTo(0.2);
        assertThat(prometheus.memory().pointCount()).isEqualTo(10);
        // No series at all: empty, which sizing reports as insufficient data rather than zero usage.
        ContainerUsage reloader = w.containers().get(1);
        assertThat(reloader.current()).isEqualTo(ContainerResources.none());
        assertThat(reloader.cpu().isEmpty()).isTrue();
        assertThat(reloader.cpu().step()).isEqualTo(STEP);
    }

    @Test
    void aWorkloadWithoutAnyUsageIsStillThere() {
        ObjectRef idle = new ObjectRef(ResourceKind.DEPLOYMENTS, "monitoring", "idle");
        WorkloadSpec spec = new WorkloadSpec(idle, 1, List.of(new WorkloadSpec.Container("app", SET)), Optional.empty());
        List<WorkloadUsage> out = UsageAssembly.assemble("", List.of(spec), new PodOwners(List.of(idle), Map.of()),
                Map.of(), Map.of(), Duration.ofMinutes(5));
        WorkloadRecommendation r = new RightSizer(SizingPolicy.defaults(), CostModel.free()).recommend(out.get(0), NOW);
        assertThat(r.containers().get(0).cpu().verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
    }
}
