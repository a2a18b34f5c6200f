package io.rwautoscaler.bench;

import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.shards.ShardCycle;
import io.rwautoscaler.core.shards.ShardCycleResult;
import io.rwautoscaler.core.sizing.ContainerRecommendation;
import io.rwautoscaler.core.sizing.RightSizer;
import io.rwautoscaler.core.sizing.RightSizingReport;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Prints, as Markdown bullets, what the synthetic data sets contain, so a results file shows what was measured. */
public final class Describe {

    private Describe() {
    }

    public static void main(String[] args) {
        AgentFleet agents = new AgentFleet();
        long ready = agents.agentPods().stream().filter(PodInfo::ready).count();
        System.out.printf("- snapshot: %,d `%s` series (%d namespaces × %d agent pods × %d queues), %,d agent pods "
                        + "(%,d ready), %d receive pods; the same fleet is backfilled into Prometheus for the HTTP load%n",
                agents.queues().size(), AgentFleet.PENDING, AgentFleet.NAMESPACES, AgentFleet.AGENTS_PER_NAMESPACE,
                AgentFleet.REMOTES.size(), agents.agentPods().size(), ready, AgentFleet.RECEIVERS);

        QueueFleet queues = new QueueFleet(1_000);
        ShardCycleResult cycle = ShardCycle.run(queues.inputs(), queues.state(), QueueFleet.POLICY, QueueFleet.NOW);
        System.out.printf("- shard cycle: %,d queues; decisions: %s; %d granted%n", queues.inputs().size(),
                counts(cycle.decisions().stream().map(d -> d.state().wireName())), cycle.toApply().size());

        WorkloadFleet workloads = new WorkloadFleet(500);
        RightSizingReport report = new RightSizer(workloads.policy(), WorkloadFleet.PRICES)
                .evaluate(workloads.workloads(), WorkloadFleet.NOW);
        System.out.printf("- right-sizing: %d workloads × 2 containers × 2 resources × %,d points; container verdicts: "
                        + "%s; %d workloads flagged%n", report.items().size(), WorkloadFleet.POINTS,
                counts(report.items().stream().flatMap(w -> w.containers().stream())
                        .map(ContainerRecommendation::verdict).map(v -> v.label())),
                report.items().stream().filter(WorkloadRecommendation::flagged).count());
    }

    private static String counts(Stream<String> names) {
        Map<String, Long> byName = names.collect(Collectors.groupingBy(Function.identity(), TreeMap::new,
                Collectors.counting()));
        return byName.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
