package io.rwautoscaler.sizing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.sizing.CostModel;
import io.rwautoscaler.core.sizing.SizingPolicy;
import io.rwautoscaler.prometheus.PrometheusClient;
import io.rwautoscaler.testsupport.CannedKubePrometheusServer;
import io.rwautoscaler.testsupport.TestPrometheusClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A right-sizing loop in local mode against a {@link CannedKubePrometheusServer}, without a container. */
final class RightSizingFixture {

    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    /** A short window keeps the fake's answers small; the minimum of data is still met. */
    static final SizingPolicy POLICY = SizingPolicy.defaults().withWindow(Duration.ofHours(26), Duration.ofHours(24));
    static final long MI = 1L << 20;
    static final long GI = 1L << 30;

    final CannedKubePrometheusServer prometheus;
    final RightSizingHolder holder = new RightSizingHolder();
    final List<RightSizingRun> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The thread each run was published from. */
    final List<String> runThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> events = new ArrayList<>();
    Duration queryTimeout = Duration.ofSeconds(10);
    int maxPoints = 11_000;
    int namespacesPerQuery = 1;
    CostModel prices = CostModel.perPodHour("0.05");
    SizingPolicy policy = POLICY;
    WorkloadEvents eventSink = (workload, reason, message, at) -> events.add(workload + " " + reason + ": " + message);

    RightSizingFixture(CannedKubePrometheusServer prometheus) {
        this.prometheus = prometheus;
    }

    RightSizingLoop loop(List<String> namespaces) {
        PrometheusClient client = TestPrometheusClient.of(prometheus.url(), Duration.ofSeconds(10));
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < namespaces.size(); i += namespacesPerQuery) {
            groups.add(namespaces.subList(i, Math.min(namespaces.size(), i + namespacesPerQuery)));
        }
        return new RightSizingLoop(new RightSizingSettings("test", groups, policy, prices),
                new KubeStateWorkloadInventory(client, "", LabelSelector.everything()),
                new UsageReader(client, new UsageReader.Settings(Duration.ofMinutes(5), maxPoints, queryTimeout, "")),
                holder, eventSink, run -> {
                    published.add(run);
                    runThreads.add(Thread.currentThread().getName());
                }, Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry(), true);
    }

    static CannedKubePrometheusServer.Workload agent(double cpuUsage, long memoryUsage) {
        return new CannedKubePrometheusServer.Workload("monitoring", "StatefulSet", "prometheus-agent", 2,
                List.of(new CannedKubePrometheusServer.Container("prometheus", 0.5, 512 * MI, cpuUsage, memoryUsage)), null);
    }

    static CannedKubePrometheusServer.Workload receivers(double cpuUsage) {
        return new CannedKubePrometheusServer.Workload("monitoring", "StatefulSet", "thanos-receive", 5,
                List.of(new CannedKubePrometheusServer.Container("thanos-receive", 1.0, 2 * GI, cpuUsage, 800 * MI)),
                new CannedKubePrometheusServer.Hpa(3, 10, 70, 75));
    }
}
