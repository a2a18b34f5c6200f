package io.rwautoscaler.sizing;

import io.rwautoscaler.core.sizing.ContainerRecommendation;
import io.rwautoscaler.core.sizing.Verdict;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;
import io.rwautoscaler.testsupport.CannedKubePrometheusServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.rwautoscaler.sizing.RightSizingFixture.MI;
import static io.rwautoscaler.sizing.RightSizingFixture.NOW;
import static io.rwautoscaler.sizing.RightSizingFixture.agent;
import static io.rwautoscaler.sizing.RightSizingFixture.receivers;
import static org.assertj.core.api.Assertions.assertThat;

/** The loop in local mode against a fake Prometheus: results kept, Events on change only, its own thread. */
class RightSizingLoopTest {

    final CannedKubePrometheusServer prometheus = new CannedKubePrometheusServer();
    final RightSizingFixture fixture = new RightSizingFixture(prometheus);

    @AfterEach
    void stop() {
        prometheus.close();
    }

    static WorkloadRecommendation item(RightSizingRun run, String name) {
        return run.report().items().stream().filter(i -> i.workload().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void sizesWorkloadsFromKubeStateMetricsAndBatchedUsage() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI), receivers(0.35)));
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        assertThat(run.partial()).isFalse();
        ContainerRecommendation agent = item(run, "prometheus-agent").containers().get(0);
        assertThat(agent.cpu().recommendedRequest()).hasValue(0.2);
        assertThat(agent.memory().recommendedRequest()).hasValue(304.0 * MI);
        assertThat(agent.cpu().usage().points()).isEqualTo(2 * 312); // 2 pods × 26 h of 5 m points
        WorkloadRecommendation receivers = item(run, "thanos-receive");
        assertThat(receivers.replicas().orElseThrow().recommended()).isEqualTo(3);
        assertThat(receivers.cost().saving()).isEqualByComparingTo("73.00");
        assertThat(fixture.holder.last()).containsSame(run);
        assertThat(fixture.published).containsExactly(run);
        // One range query per resource for the namespace, whatever the number of pods and containers.
        assertThat(run.usageQueries()).isEqualTo(2);
        assertThat(prometheus.rangeQueries()).extracting(q -> q.query()).containsExactly(
                "sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container!=\"\", "
                        + "container!=\"POD\", namespace=~\"monitoring\"}[5m]))",
                "max by (namespace, pod, container) (max_over_time(container_memory_working_set_bytes{container!=\"\", "
                        + "container!=\"POD\", namespace=~\"monitoring\"}[5m]))");
    }

    @Test
    void containersWithoutRequestsAreReportedWithSuggestedValues() {
        prometheus.workloads(List.of(new CannedKubePrometheusServer.Workload("monitoring", "Deployment", "kube-state-metrics", 1,
                List.of(new CannedKubePrometheusServer.Container("kube-state-metrics", null, null, 0.02, 50 * MI)), null)));
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        ContainerRecommendation c = item(run, "kube-state-metrics").containers().get(0);
        assertThat(c.cpu().verdict()).isEqualTo(Verdict.NO_REQUEST_SET);
        assertThat(c.cpu().currentRequest()).isEmpty();
        assertThat(c.cpu().recommendedRequest()).hasValue(0.03);
        assertThat(c.memory().recommendedRequest()).hasValue(64.0 * MI);
        assertThat(c.cpu().reason()).startsWith("no request set: cpu p95 0.02 cores");
    }

    @Test
    void aFailedRunKeepsTheLastReportAndSaysWhy() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI)));
        RightSizingLoop loop = fixture.loop(List.of("monitoring"));
        RightSizingRun first = loop.runOnce(NOW).orElseThrow();

        prometheus.close(); // Prometheus gone: nothing can be read
        assertThat(loop.runOnce(NOW.plus(Duration.ofHours(1)))).isEmpty();

        assertThat(fixture.holder.last()).containsSame(first);
        assertThat(fixture.holder.lastFailure()).hasValueSatisfying(f -> {
            assertThat(f.at()).isEqualTo(NOW.plus(Duration.ofHours(1)));
            assertThat(f.message()).contains("cannot connect to " + prometheus.url());
        });
    }

    @Test
    void anEventOnlyWhenARecommendationFirstAppearsOrChanges() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI), receivers(0.35)));
        RightSizingLoop loop = fixture.loop(List.of("monitoring"));
        loop.runOnce(NOW);
        assertThat(fixture.events).containsExactlyInAnyOrder(
                "statefulsets/monitoring/prometheus-agent RightSizing: right-sizing recommends container prometheus cpu "
                        + "request 500m → 200m; container prometheus memory request 512Mi → 304Mi (flag only, nothing was changed)",
                "statefulsets/monitoring/thanos-receive RightSizing: right-sizing recommends replicas 5 → 3 (lower the "
                        + "HPA's load or its minReplicas/metrics); monthly saving 73.00 (flag only, nothing was changed)");

        // The next hour, slightly different usage, the same recommendations: no new Event.
        prometheus.workloads(List.of(agent(0.179, 259 * MI), receivers(0.36)));
        loop.runOnce(NOW.plus(Duration.ofHours(1)));
        assertThat(fixture.events).hasSize(2);

        // The agent's CPU grew: its recommendation changed, so it gets an Event; the receivers' did not.
        prometheus.workloads(List.of(agent(0.30, 259 * MI), receivers(0.36)));
        loop.runOnce(NOW.plus(Duration.ofHours(2)));
        assertThat(fixture.events).hasSize(3);
        assertThat(fixture.events.get(2)).contains("prometheus-agent").contains("cpu request 500m → 330m");
    }

    @Test
    void anEventThatCouldNotBeRecordedIsTriedAgainNextRun() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI)));
        int[] calls = {0};
        fixture.eventSink = (workload, reason, message, at) -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("API server unavailable");
            }
            return fixture.events.add(message);
        };
        RightSizingLoop loop = fixture.loop(List.of("monitoring"));
        loop.runOnce(NOW);
        loop.runOnce(NOW.plus(Duration.ofHours(1)));
        loop.runOnce(NOW.plus(Duration.ofHours(2)));
        assertThat(fixture.events).hasSize(1);
        assertThat(calls[0]).isEqualTo(2);
    }

    @Test
    void triggerHandsTheRunToItsOwnThreadAndReturnsAtOnce() throws Exception {
        // Each range query answers after 1.5 s, so a run takes at least 3 s.
        prometheus.workloads(List.of(agent(0.18, 260 * MI))).delay(q -> 1500L);
        RightSizingLoop loop = fixture.loop(List.of("monitoring"));
        try {
            assertThat(loop.trigger()).isTrue();
            // Back before the run is done: the scheduler's worker (shared with the metrics refresh) is free again.
            assertThat(fixture.holder.last()).isEmpty();
            assertThat(loop.running()).isTrue();
            assertThat(loop.trigger()).as("runs never overlap, nor queue up").isFalse();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (loop.running() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(loop.running()).isFalse();
            assertThat(fixture.holder.last()).isPresent();
            assertThat(fixture.runThreads).containsExactly("rwa-rightsizing");
        } finally {
            loop.stop();
        }
    }
}
