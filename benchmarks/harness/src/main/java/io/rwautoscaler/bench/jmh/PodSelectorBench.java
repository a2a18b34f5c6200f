package io.rwautoscaler.bench.jmh;

import io.rwautoscaler.core.metrics.CustomMetricQuery;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.ObjectValue;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.Aggregation;
import io.rwautoscaler.core.model.MetricKind;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.model.Sample;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Issue 18: what {@code namespaces/{ns}/pods/*?labelSelector=} costs as the namespace fills with pods. The HPA of one
 * workload asks for its 4 pods ({@code app=agent-N}) in a namespace of {@code pods} pods; the answer is the same 4
 * pods whatever the namespace holds, so the cost should not grow with it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PodSelectorBench {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final MetricRule RULE = new MetricRule("queue", "unused", Optional.empty(), Set.of(MetricKind.CUSTOM),
            Aggregation.SUM, Duration.ZERO, false, "");

    @Param({"100", "10000"})
    public int pods;

    Snapshot snapshot;
    CustomMetricQuery[] queries;
    int next;

    @Setup
    public void setUp() {
        List<Sample> samples = new ArrayList<>();
        List<PodInfo> inventory = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            String pod = "agent-" + (i / 4) + "-" + (i % 4);
            Map<String, String> labels = Map.of("app", "agent-" + (i / 4), "team", "t" + (i % 7));
            inventory.add(new PodInfo("crowded", pod, labels, true));
            samples.add(new Sample(Map.of("namespace", "crowded", "pod", pod, "remote_name", "q0"), i, NOW));
        }
        snapshot = new Snapshot(NOW, List.of(RULE), Map.of(RULE.name(), new MetricData(RULE, samples, NOW)), Map.of(),
                inventory, ObjectLabels.DEFAULT);
        queries = new CustomMetricQuery[pods / 4];
        for (int w = 0; w < queries.length; w++) {
            queries[w] = new CustomMetricQuery(ResourceKind.PODS, "crowded", CustomMetricQuery.ALL, RULE.name(),
                    LabelSelector.parse("app=agent-" + ((w * 7919) % queries.length)), LabelSelector.everything());
        }
    }

    /** One workload's 4 pods by their selector. */
    @Benchmark
    public List<ObjectValue> fourPodsBySelector() {
        int i = next++;
        if (next >= queries.length) {
            next = 0;
        }
        return snapshot.custom(queries[i], ReceiverFeed.DEFAULT, NOW, Duration.ofMinutes(2));
    }
}
