package io.rwautoscaler.bench.jmh;

import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.core.replay.Grid;
import io.rwautoscaler.core.replay.QueueHistory;
import io.rwautoscaler.core.replay.QueueSignal;
import io.rwautoscaler.core.replay.ReceiverHistory;
import io.rwautoscaler.core.replay.Replay;
import io.rwautoscaler.core.replay.ReplayResult;
import io.rwautoscaler.core.replay.ReplaySettings;
import io.rwautoscaler.core.replay.ReplayWindow;
import io.rwautoscaler.core.replay.ShardHistory;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ShardPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The replay's decide part (issue 17's budget: a 7-day replay at 5 m over 100 agents × 4 queues in under 60 s):
 * 2,017 steps of the receiver policy (8 rules proven over 30 s points) and of the shard tuner over 400 queues,
 * with a daily wave and a two-hour surge on day 5. The range queries that fill these arrays are not included: the
 * end-to-end test's log line {@code replay ... N queries ... ms} gives the whole replay on a real Prometheus.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ReplayBench {

    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    static final ReplayWindow WINDOW = new ReplayWindow(FROM, FROM.plus(Duration.ofDays(7)), Duration.ofMinutes(5));
    static final ReplaySettings SETTINGS = new ReplaySettings(ReceiverPolicy.defaults(), Duration.ofMinutes(10),
            Set.of(RunbookRules.RECEIVER_CPU_HIGH, RunbookRules.RECEIVER_CPU_LOW, RunbookRules.RECEIVER_MEMORY_HIGH,
                    RunbookRules.RECEIVER_MEMORY_LOW), ShardPolicy.defaults(), Duration.ofDays(7), Duration.ofHours(1));

    ReceiverHistory receivers;
    ShardHistory shards;

    @Setup
    public void setUp() {
        long surgeFrom = FROM.plus(Duration.ofDays(4)).plus(Duration.ofHours(10)).toEpochMilli();
        long surgeTo = surgeFrom + Duration.ofHours(2).toMillis();
        Grid fine = Grid.aligned(FROM.minus(Duration.ofHours(1)), WINDOW.to(), Duration.ofSeconds(30));
        Map<String, double[]> byExpression = new HashMap<>();
        double[] cpu = fine.empty();
        double[] queue = fine.empty();
        double[] samples = fine.empty();
        double[] replicas = fine.empty();
        for (int k = 0; k < fine.size(); k++) {
            long t = fine.millis(k);
            boolean surge = t >= surgeFrom && t < surgeTo;
            double wave = 0.1 * Math.sin(2 * Math.PI * (t % 86_400_000L) / 86_400_000.0);
            cpu[k] = surge ? 0.95 : 0.55 + wave;
            queue[k] = surge ? 9000 : 800;
            samples[k] = surge ? 16000 : 8000 * (1 + wave);
            replicas[k] = 3;
        }
        byExpression.put(RunbookRules.RECEIVER_CPU, cpu);
        byExpression.put(RunbookRules.AGENT_QUEUE, queue);
        byExpression.put(RunbookRules.RECEIVER_MEMORY, constant(fine, 0.6));
        byExpression.put(RunbookRules.RECEIVER_VOLUME, constant(fine, 0.4));
        byExpression.put(RunbookRules.RECEIVER_LATENCY_P99, constant(fine, 0.3));
        receivers = new ReceiverHistory(fine, byExpression, samples, replicas, Map.of());

        int steps = WINDOW.steps();
        int history = (int) (Duration.ofDays(7).toMinutes() / 5);
        Grid grid = Grid.of(WINDOW);
        List<QueueHistory> queues = new ArrayList<>();
        for (int a = 0; a < 100; a++) {
            for (int q = 0; q < 4; q++) {
                float[][] f = new float[QueueSignal.values().length][steps];
                float[] desired = new float[history + steps];
                for (int i = -history; i < steps; i++) {
                    long t = FROM.toEpochMilli() + i * 300_000L;
                    boolean surge = t >= surgeFrom && t < surgeTo;
                    float d = surge ? 80 : 10 + (a + q) % 7;
                    desired[i + history] = d;
                    if (i < 0) {
                        continue;
                    }
                    f[QueueSignal.PENDING.ordinal()][i] = surge ? 9000 : (a * 7 + q) % 5 == 0 ? 0 : 300;
                    f[QueueSignal.LAG.ordinal()][i] = surge ? 90 : 5;
                    f[QueueSignal.SHARDS.ordinal()][i] = Math.min(d, 50);
                    f[QueueSignal.SHARDS_DESIRED.ordinal()][i] = d;
                    f[QueueSignal.MIN_SHARDS.ordinal()][i] = 10;
                    f[QueueSignal.MAX_SHARDS.ordinal()][i] = 50;
                    f[QueueSignal.CAPACITY.ordinal()][i] = 20000;
                    f[QueueSignal.MAX_SAMPLES_PER_SEND.ordinal()][i] = 2000;
                    f[QueueSignal.SAMPLES_IN.ordinal()][i] = 20;
                    f[QueueSignal.SAMPLES_OUT.ordinal()][i] = 20;
                    f[QueueSignal.RETRIED.ordinal()][i] = 0;
                    f[QueueSignal.FAILED.ordinal()][i] = 0;
                    f[QueueSignal.SEND_LATENCY.ordinal()][i] = 0.05f;
                }
                queues.add(new QueueHistory(new QueueSeries("monitoring", "prom-agent-" + a + "-0", "queue-" + q,
                        "http://thanos-receive-lb:19291/api/v1/receive"), f, desired));
            }
        }
        double[] cpuHealth = grid.empty();
        for (int i = 0; i < steps; i++) {
            cpuHealth[i] = cpu[fine.atOrBefore(grid.millis(i))];
        }
        shards = new ShardHistory(queues, history, grid.empty(), grid.empty(), grid.empty(), cpuHealth, Map.of());
    }

    private static double[] constant(Grid grid, double value) {
        double[] v = new double[grid.size()];
        java.util.Arrays.fill(v, value);
        return v;
    }

    @Benchmark
    public ReplayResult week400Queues() {
        return Replay.run(WINDOW, SETTINGS, receivers, shards, () -> false);
    }
}
