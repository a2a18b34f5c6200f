package io.rwautoscaler.bench.jmh;

import io.rwautoscaler.bench.AgentFleet;
import io.rwautoscaler.core.metrics.CustomMetricQuery;
import io.rwautoscaler.core.metrics.ExternalValue;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What one metrics-API request costs inside the snapshot, at 10,000 series (see {@link AgentFleet}), and what
 * building the snapshot's indexes costs once per refresh. HTTP, JSON and the clock are not in these figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SnapshotBench {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Duration MAX_STALENESS = Duration.ofMinutes(2);
    static final MetricRule RULE = new MetricRule(AgentFleet.SERVED, "unused", Optional.empty(),
            Set.of(MetricKind.CUSTOM, MetricKind.EXTERNAL), Aggregation.SUM, Duration.ZERO, true, "");

    List<Sample> samples;
    List<PodInfo> pods;
    Snapshot snapshot;
    CustomMetricQuery[] onePod;
    CustomMetricQuery[] podsBySelector;
    String[] externalNamespaces;
    LabelSelector[] externalSelectors;
    CustomMetricQuery receivers;
    int next;

    @Setup
    public void setUp() {
        AgentFleet fleet = new AgentFleet();
        samples = fleet.samples(NOW.minusSeconds(20));
        pods = fleet.pods();
        snapshot = build();
        List<PodInfo> agents = fleet.agentPods();
        onePod = new CustomMetricQuery[agents.size()];
        externalNamespaces = new String[agents.size()];
        externalSelectors = new LabelSelector[agents.size()];
        for (int i = 0; i < agents.size(); i++) {
            // A stride that is prime to the pod count visits every pod, namespaces interleaved like HPAs' requests.
            PodInfo p = agents.get((i * 7919) % agents.size());
            onePod[i] = new CustomMetricQuery(ResourceKind.PODS, p.namespace(), p.name(), AgentFleet.SERVED,
                    LabelSelector.everything(), LabelSelector.everything());
            externalNamespaces[i] = p.namespace();
            externalSelectors[i] = LabelSelector.parse("pod=" + p.name() + ",remote_name in (thanos-a,thanos-b)");
        }
        podsBySelector = new CustomMetricQuery[AgentFleet.NAMESPACES];
        for (int n = 0; n < AgentFleet.NAMESPACES; n++) {
            podsBySelector[n] = new CustomMetricQuery(ResourceKind.PODS, AgentFleet.namespace(n), CustomMetricQuery.ALL,
                    AgentFleet.SERVED, LabelSelector.parse("app=prometheus-agent"), LabelSelector.everything());
        }
        receivers = new CustomMetricQuery(ResourceKind.PODS, AgentFleet.RECEIVER_NAMESPACE, CustomMetricQuery.ALL,
                AgentFleet.SERVED, LabelSelector.parse("app=thanos-receive"), LabelSelector.everything());
    }

    private Snapshot build() {
        return new Snapshot(NOW, List.of(RULE), Map.of(RULE.name(), new MetricData(RULE, samples, NOW)), Map.of(), pods,
                ObjectLabels.DEFAULT);
    }

    private int next(int bound) {
        int i = next++;
        if (next >= bound) {
            next = 0;
        }
        return i;
    }

    /** {@code namespaces/{ns}/pods/{pod}/{metric}}: the request an HPA on one agent sends. */
    @Benchmark
    public List<ObjectValue> customOnePod() {
        return snapshot.custom(onePod[next(onePod.length)], ReceiverFeed.DEFAULT, NOW, MAX_STALENESS);
    }

    /** {@code namespaces/{ns}/pods/*?labelSelector=app=prometheus-agent}: 25 pods, selector matched per pod. */
    @Benchmark
    public List<ObjectValue> customPodsBySelector() {
        return snapshot.custom(podsBySelector[next(podsBySelector.length)], ReceiverFeed.DEFAULT, NOW, MAX_STALENESS);
    }

    /** The runbook's HPA: the agents' total queue shared over the 9 ready receive pods (all 10,000 series summed). */
    @Benchmark
    public List<ObjectValue> receiversShare() {
        return snapshot.custom(receivers, ReceiverFeed.DEFAULT, NOW, MAX_STALENESS);
    }

    /** external.metrics.k8s.io {@code namespaces/{ns}/{metric}?labelSelector=pod=..,remote_name in (..)}. */
    @Benchmark
    public List<ExternalValue> externalBySelector() {
        int i = next(externalSelectors.length);
        return snapshot.external(externalNamespaces[i], AgentFleet.SERVED, externalSelectors[i], NOW, MAX_STALENESS);
    }

    /** Once per refresh: the indexes by metric, kind, namespace and name over 10,000 series and 2,510 pods. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Snapshot buildIndexes() {
        return build();
    }
}
