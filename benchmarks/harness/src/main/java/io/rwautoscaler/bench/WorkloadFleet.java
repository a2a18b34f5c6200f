package io.rwautoscaler.bench;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.sizing.ContainerResources;
import io.rwautoscaler.core.sizing.ContainerUsage;
import io.rwautoscaler.core.sizing.CostModel;
import io.rwautoscaler.core.sizing.Hpa;
import io.rwautoscaler.core.sizing.ResourceBounds;
import io.rwautoscaler.core.sizing.SizingPolicy;
import io.rwautoscaler.core.sizing.UsageSeries;
import io.rwautoscaler.core.sizing.WorkloadUsage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Workloads for one right-sizing evaluation: each with 2 containers, each container a week of CPU and memory at a
 * 5 m step (2,016 points per series), shaped by a daily cycle plus noise. One in five has an HPA on CPU, one in ten
 * no requests, one in twenty bounds, one in twenty a day-long gap. Deterministic (fixed seed).
 */
public final class WorkloadFleet {

    public static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");
    public static final Duration STEP = Duration.ofMinutes(5);
    public static final int POINTS = 7 * 288;
    public static final CostModel PRICES = CostModel.perResourceHour("0.031611", "0.004237");

    private final List<WorkloadUsage> workloads = new ArrayList<>();
    private final SizingPolicy policy;

    public WorkloadFleet(int count) {
        SplittableRandom random = new SplittableRandom(11);
        List<ResourceBounds> bounds = new ArrayList<>();
        Instant start = NOW.minus(STEP.multipliedBy(POINTS - 1L));
        for (int w = 0; w < count; w++) {
            ObjectRef ref = new ObjectRef(w % 3 == 0 ? ResourceKind.STATEFULSETS : ResourceKind.DEPLOYMENTS,
                    AgentFleet.namespace(w % AgentFleet.NAMESPACES), "workload-" + w);
            boolean gap = w % 20 == 7;
            List<ContainerUsage> containers = new ArrayList<>(2);
            for (String name : List.of("app", "sidecar")) {
                double cpuBase = name.equals("app") ? 0.05 + random.nextDouble() * 2 : 0.01 + random.nextDouble() * 0.1;
                double memBase = (name.equals("app") ? 128 + random.nextInt(4_000) : 32 + random.nextInt(200))
                        * (double) SizingPolicy.MIB;
                double[] cpu = new double[POINTS];
                double[] mem = new double[POINTS];
                for (int i = 0; i < POINTS; i++) {
                    double day = Math.sin(2 * Math.PI * (i % 288) / 288.0);
                    cpu[i] = Math.max(0.001, cpuBase * (1 + 0.5 * day + 0.2 * random.nextGaussian()));
                    mem[i] = memBase * (1 + 0.1 * day + 0.02 * random.nextDouble());
                    if (gap && i >= 1_000 && i < 1_288) {
                        cpu[i] = Double.NaN;
                        mem[i] = Double.NaN;
                    }
                }
                ContainerResources current = w % 10 == 3 ? ContainerResources.none()
                        : ContainerResources.requests(round(cpuBase * (0.5 + random.nextDouble() * 1.5), 0.01),
                        (long) (memBase * (0.6 + random.nextDouble())))
                        .withLimits(cpuBase * 4, (long) (memBase * 2));
                containers.add(new ContainerUsage(name, current, UsageSeries.regular(start, STEP, cpu),
                        UsageSeries.regular(start, STEP, mem)));
            }
            Optional<Hpa> hpa = w % 5 == 1
                    ? Optional.of(new Hpa("workload-" + w, 2, 20, OptionalInt.of(70), OptionalInt.empty(), false))
                    : Optional.empty();
            if (w % 20 == 13) {
                bounds.add(ResourceBounds.of(ref, 0.1, 128 * SizingPolicy.MIB, 1.0, 2 * SizingPolicy.GIB));
            }
            workloads.add(new WorkloadUsage("", ref, 1 + random.nextInt(6), containers, hpa));
        }
        policy = SizingPolicy.defaults().withBounds(bounds.toArray(ResourceBounds[]::new));
    }

    private static double round(double v, double step) {
        return Math.max(step, Math.round(v / step) * step);
    }

    public List<WorkloadUsage> workloads() {
        return workloads;
    }

    public SizingPolicy policy() {
        return policy;
    }
}
