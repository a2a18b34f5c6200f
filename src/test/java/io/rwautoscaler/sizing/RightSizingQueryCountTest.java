package io.rwautoscaler.sizing;

import io.rwautoscaler.testsupport.CannedKubePrometheusServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.rwautoscaler.sizing.RightSizingFixture.MI;
import static io.rwautoscaler.sizing.RightSizingFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a run costs Prometheus, counted at its HTTP endpoint: a number of queries that grows with the namespaces,
 * not with workloads, pods or containers (tools that query per container send thousands).
 */
class RightSizingQueryCountTest {

    final CannedKubePrometheusServer prometheus = new CannedKubePrometheusServer();
    final RightSizingFixture fixture = new RightSizingFixture(prometheus);

    {
        // Query counts do not depend on the window; a short one keeps thousands of series quick to serve.
        fixture.policy = RightSizingFixture.POLICY.withWindow(java.time.Duration.ofHours(3), java.time.Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        prometheus.close();
    }

    /** {@code workloads} spread over {@code namespaces}, half StatefulSets, half Deployments in each. */
    static List<CannedKubePrometheusServer.Workload> cluster(int namespaces, int workloads, int replicas, int containers) {
        List<CannedKubePrometheusServer.Workload> out = new ArrayList<>();
        for (int i = 0; i < workloads; i++) {
            List<CannedKubePrometheusServer.Container> cs = new ArrayList<>();
            for (int c = 0; c < containers; c++) {
                cs.add(new CannedKubePrometheusServer.Container("c" + c, 0.5, 512 * MI, 0.1 + i % 7 * 0.05, (100 + i % 5 * 50) * MI));
            }
            out.add(new CannedKubePrometheusServer.Workload(namespace(i % namespaces), i / namespaces % 2 == 0 ? "StatefulSet" : "Deployment",
                    "app-" + i, replicas, cs, null));
        }
        return out;
    }

    static List<String> namespaces(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(namespace(i));
        }
        return out;
    }

    static String namespace(int i) {
        return "team-" + i;
    }

    /** HTTP requests one run sends, after checking that every workload was sized. */
    int requestsFor(int namespaces, int workloads, int replicas, int containers) {
        prometheus.workloads(cluster(namespaces, workloads, replicas, containers)).reset();
        RightSizingRun run = fixture.loop(namespaces(namespaces)).runOnce(NOW).orElseThrow();
        assertThat(run.partial()).isFalse();
        assertThat(run.report().items()).hasSize(workloads);
        assertThat(run.report().items()).allSatisfy(i -> assertThat(i.containers()).hasSize(containers)
                .allSatisfy(c -> assertThat(c.cpu().usage().points()).isEqualTo(replicas * 36)));
        assertThat(run.usageQueries()).isEqualTo(prometheus.rangeQueries().size());
        return prometheus.requests().size();
    }

    @Test
    void fiveHundredWorkloadsInFiveNamespacesCostQueriesPerNamespaceNotPerContainer() {
        int base = requestsFor(5, 500, 1, 1);
        int usage = prometheus.rangeQueries().size();
        System.err.printf("[rightsizing queries] 500 workloads (500 containers) in 5 namespaces: %d requests, %d of them "
                + "range queries for usage%n", base, usage);
        // Per namespace: 2 range queries (CPU, memory) and 8 instant ones for kube-state-metrics (pod owners,
        // replica-set owners, containers, requests, limits, HPAs, 2 replica counts).
        assertThat(usage).isEqualTo(2 * 5);
        assertThat(base).isEqualTo(10 * 5);

        // Six times the containers (2 replicas × 3 containers), same namespaces: not one query more.
        assertThat(requestsFor(5, 500, 2, 3)).isEqualTo(base);
        // Twice the workloads in the same namespaces: the same.
        assertThat(requestsFor(5, 1000, 1, 1)).isEqualTo(base);
        // Twice the namespaces: twice the queries.
        assertThat(requestsFor(10, 500, 1, 1)).isEqualTo(2 * base);

        // Namespaces grouped five to a query: one group, 10 queries for everything.
        fixture.namespacesPerQuery = 5;
        assertThat(requestsFor(5, 500, 1, 1)).isEqualTo(10);
        assertThat(prometheus.rangeQueries()).hasSize(2).allSatisfy(q -> assertThat(q.query())
                .contains("namespace=~\"team-0|team-1|team-2|team-3|team-4\""));
    }
}
