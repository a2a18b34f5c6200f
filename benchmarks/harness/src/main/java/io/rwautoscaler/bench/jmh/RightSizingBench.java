package io.rwautoscaler.bench.jmh;

import io.rwautoscaler.bench.WorkloadFleet;
import io.rwautoscaler.core.sizing.RightSizer;
import io.rwautoscaler.core.sizing.RightSizingReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * One right-sizing evaluation of 500 workloads × 2 containers × (CPU, memory) × 2,016 points (see
 * {@link WorkloadFleet}): percentiles, buffers, rounding, HPA-aware replicas, cost and totals. Prometheus time is
 * not in it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RightSizingBench {

    WorkloadFleet fleet;
    RightSizer sizer;

    @Setup
    public void setUp() {
        fleet = new WorkloadFleet(500);
        sizer = new RightSizer(fleet.policy(), WorkloadFleet.PRICES);
    }

    @Benchmark
    public RightSizingReport evaluate500Workloads() {
        return sizer.evaluate(fleet.workloads(), WorkloadFleet.NOW);
    }
}
