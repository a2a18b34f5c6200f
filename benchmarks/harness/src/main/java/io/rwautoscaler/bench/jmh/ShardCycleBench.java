package io.rwautoscaler.bench.jmh;

import io.rwautoscaler.bench.QueueFleet;
import io.rwautoscaler.core.shards.ShardCycle;
import io.rwautoscaler.core.shards.ShardCycleResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** One shard decision cycle over 1,000 queues in a realistic mix of states (see {@link QueueFleet}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ShardCycleBench {

    QueueFleet fleet;

    @Setup
    public void setUp() {
        fleet = new QueueFleet(1_000);
    }

    @Benchmark
    public ShardCycleResult cycle1000Queues() {
        return ShardCycle.run(fleet.inputs(), fleet.state(), QueueFleet.POLICY, QueueFleet.NOW);
    }
}
