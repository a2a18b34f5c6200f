package io.rwautoscaler.sizing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.rwautoscaler.core.sizing.ContainerRecommendation;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last report's recommendations as gauges, for dashboards and alerts; rows of workloads gone from the report
 * disappear with it. Recommended values are absent where there was not enough data.
 */
@io.quarkus.runtime.Startup // rwa_rightsizing_partial and _last_run_timestamp_seconds exist from start-up (0)
@ApplicationScoped
public class RightSizingGauges {

    private final MultiGauge cpu;
    private final MultiGauge memory;
    private final MultiGauge replicas;
    private final MultiGauge saving;
    private final MultiGauge flagged;
    private final AtomicReference<RightSizingRun> last = new AtomicReference<>();

    @Inject
    public RightSizingGauges(MeterRegistry registry) {
        cpu = MultiGauge.builder("rwa_rightsizing_recommended_cpu_cores")
                .description("Recommended CPU request per container, in cores").register(registry);
        memory = MultiGauge.builder("rwa_rightsizing_recommended_memory_bytes")
                .description("Recommended memory request per container, in bytes").register(registry);
        replicas = MultiGauge.builder("rwa_rightsizing_recommended_replicas")
                .description("Replicas the HPA's target utilization needs, for workloads an HPA scales on CPU or memory")
                .register(registry);
        saving = MultiGauge.builder("rwa_rightsizing_monthly_saving")
                .description("Monthly saving of the flagged changes per workload (730 h, configured prices)").register(registry);
        flagged = MultiGauge.builder("rwa_rightsizing_flagged")
                .description("1 when right-sizing flags the workload").register(registry);
        Gauge.builder("rwa_rightsizing_partial", last, r -> r.get() != null && r.get().partial() ? 1 : 0)
                .description("1 when the last report is missing data (a query timed out or failed)").register(registry);
        Gauge.builder("rwa_rightsizing_last_run_timestamp_seconds", last,
                        r -> r.get() == null ? 0 : r.get().report().evaluatedAt().toEpochMilli() / 1000.0)
                .description("Unix time of the last completed right-sizing run (0 = none yet)").register(registry);
    }

    void published(@Observes RightSizingRun run) {
        update(run);
    }

    public void update(RightSizingRun run) {
        List<MultiGauge.Row<?>> cpuRows = new ArrayList<>();
        List<MultiGauge.Row<?>> memoryRows = new ArrayList<>();
        List<MultiGauge.Row<?>> replicaRows = new ArrayList<>();
        List<MultiGauge.Row<?>> savingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> flaggedRows = new ArrayList<>();
        for (WorkloadRecommendation r : run.report().items()) {
            Tags workload = Tags.of("cluster", r.cluster(), "namespace", r.namespace(),
                    "kind", r.workload().kind().kind(), "workload", r.workload().name());
            for (ContainerRecommendation c : r.containers()) {
                Tags tags = workload.and("container", c.container());
                c.cpu().recommendedRequest().ifPresent(v -> cpuRows.add(MultiGauge.Row.of(tags, v)));
                c.memory().recommendedRequest().ifPresent(v -> memoryRows.add(MultiGauge.Row.of(tags, v)));
            }
            r.replicas().ifPresent(x -> replicaRows.add(MultiGauge.Row.of(workload, x.recommended())));
            savingRows.add(MultiGauge.Row.of(workload, r.cost().saving()));
            flaggedRows.add(MultiGauge.Row.of(workload, r.flagged() ? 1 : 0));
        }
        cpu.register(cpuRows, true);
        memory.register(memoryRows, true);
        replicas.register(replicaRows, true);
        saving.register(savingRows, true);
        flagged.register(flaggedRows, true);
        last.set(run);
    }
}
