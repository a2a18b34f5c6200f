package io.rwautoscaler.sizing;

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

/**
 * Prometheus misbehaving while usage is read: answers too large, too slow, or with warnings. Whatever is missing
 * makes the report partial, with the reason, and is never presented as complete.
 */
class RightSizingFaultsTest {

    static final int POINTS = 312; // 26 h at 5 m
    static final String TOO_MANY_SAMPLES = "query processing would load too many samples into memory in query execution";
    static final String TOO_MANY_POINTS = "exceeded maximum resolution of 11,000 points per timeseries. "
            + "Try decreasing the query resolution (?step=XX)";

    final CannedKubePrometheusServer prometheus = new CannedKubePrometheusServer();
    final RightSizingFixture fixture = new RightSizingFixture(prometheus);

    @AfterEach
    void stop() {
        prometheus.close();
    }

    static WorkloadRecommendation item(RightSizingRun run, String name) {
        return RightSizingLoopTest.item(run, name);
    }

    @Test
    void aWindowLongerThanThePointLimitIsReadInChunks() {
        fixture.maxPoints = 100;
        prometheus.workloads(List.of(agent(0.18, 260 * MI)));
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        // 312 points in chunks of at most 100: 4 per resource, none overlapping, none missing.
        assertThat(run.usageQueries()).isEqualTo(8);
        assertThat(prometheus.rangeQueries()).allSatisfy(q -> assertThat((q.end() - q.start()) / q.step() + 1).isLessThanOrEqualTo(100));
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().usage().points()).isEqualTo(2 * POINTS);
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().usage().gaps()).isZero();
        assertThat(run.partial()).isFalse();
        assertThat(run.notes()).anyMatch(n -> n.contains("read in chunks of 100 points"));
    }

    @Test
    void aRangeRefusedAsTooLargeIsSplitUntilItIsAccepted() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI)))
                .refuse(q -> q.end() - q.start() > 8 * 3600 ? new CannedKubePrometheusServer.Refusal(422, "execution", TOO_MANY_SAMPLES) : null);
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        assertThat(run.partial()).isFalse();
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().usage().points()).isEqualTo(2 * POINTS);
        assertThat(item(run, "prometheus-agent").containers().get(0).memory().usage().points()).isEqualTo(2 * POINTS);
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().recommendedRequest()).hasValue(0.2);
        // 26 h → 2 × 13 h → 4 × 6.5 h accepted: 1 + 2 + 4 queries per resource.
        assertThat(run.usageQueries()).isEqualTo(14);
        assertThat(run.notes()).anyMatch(n -> n.contains("read in smaller time ranges"));
    }

    @Test
    void aStepRefusedAsTooManyPointsIsRetriedCoarser() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI)))
                .refuse(q -> q.step() < 600 ? new CannedKubePrometheusServer.Refusal(400, "bad_data", TOO_MANY_POINTS) : null);
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        assertThat(run.partial()).isFalse();
        assertThat(run.step()).isEqualTo(Duration.ofMinutes(10));
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().usage().points()).isEqualTo(2 * POINTS / 2);
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().usage().coverage()).isEqualTo(Duration.ofHours(26));
        assertThat(prometheus.rangeQueries()).filteredOn(q -> q.step() == 600).extracting(q -> q.query())
                .anyMatch(q -> q.contains("[10m]"));
        assertThat(run.notes()).anyMatch(n -> n.contains("read at a 10m step"));
    }

    @Test
    void aRangeRefusedEvenInItsSmallestPartIsMissingAndTheReportPartial() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI)))
                .refuse(q -> q.query().contains("cpu") ? new CannedKubePrometheusServer.Refusal(422, "execution", TOO_MANY_SAMPLES) : null);
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        assertThat(run.partial()).isTrue();
        assertThat(run.allPartialReasons()).isNotEmpty().allMatch(r -> r.startsWith("cpu of namespace monitoring")
                && r.contains("refused as too large even in"));
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().usage().points()).isZero();
        // Memory was read in full.
        assertThat(item(run, "prometheus-agent").containers().get(0).memory().usage().points()).isEqualTo(2 * POINTS);
    }

    @Test
    void aQueryThatTimesOutMakesTheReportPartialNeverComplete() throws Exception {
        fixture.queryTimeout = Duration.ofMillis(500);
        prometheus.workloads(List.of(agent(0.18, 260 * MI), receivers(0.35)))
                .delay(q -> q.query().contains("cpu") ? 3000L : 0L);
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        assertThat(run.partial()).isTrue();
        assertThat(run.allPartialReasons()).singleElement().asString()
                .startsWith("cpu of namespace monitoring " + NOW.minus(Duration.ofHours(26)).plus(Duration.ofMinutes(5)))
                .contains("is missing: no answer from " + prometheus.url() + "/api/v1/query_range within 500 ms");
        // Every item of the namespace says so, and the JSON and CSV carry it.
        var view = RightSizingViews.of(run);
        assertThat(view.partial()).isTrue();
        assertThat(view.items()).allSatisfy(i -> {
            assertThat(i.partial()).isTrue();
            assertThat(i.partialReasons()).singleElement().asString().contains("within 500 ms");
        });
        assertThat(RightSizingViews.csv(run).lines().skip(1)).allSatisfy(l -> assertThat(l).contains(",true,")
                .contains("PARTIAL: cpu of namespace monitoring"));
        // Without CPU data the CPU side is not sized at all (nor the HPA's replicas); memory still is.
        assertThat(item(run, "prometheus-agent").containers().get(0).cpu().recommendedRequest()).isEmpty();
        assertThat(item(run, "prometheus-agent").containers().get(0).memory().recommendedRequest()).hasValue(304.0 * MI);
    }

    @Test
    void warningsOfAPartialResponseMakeTheReportPartial() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI)))
                .warn("No StoreAPIs matched for this query: receive-2 unavailable");
        RightSizingRun run = fixture.loop(List.of("monitoring")).runOnce(NOW).orElseThrow();

        assertThat(run.partial()).isTrue();
        assertThat(run.allPartialReasons()).hasSize(2).allMatch(r -> r.contains("Prometheus warned: No StoreAPIs matched"));
    }

    @Test
    void aNamespaceGroupWhoseWorkloadsCannotBeReadIsPartialWhileTheOthersAreSized() {
        prometheus.workloads(List.of(agent(0.18, 260 * MI),
                new CannedKubePrometheusServer.Workload("logging", "StatefulSet", "loki", 1,
                        List.of(new CannedKubePrometheusServer.Container("loki", 1.0, 1L << 30, 0.2, 300 * MI)), null)));
        RightSizingRun run = fixture.loop(List.of("monitoring", "Not_A_Namespace")).runOnce(NOW).orElseThrow();

        assertThat(run.report().items()).extracting(i -> i.workload().name()).containsExactly("prometheus-agent");
        assertThat(run.partialReasons()).containsOnlyKeys("Not_A_Namespace");
        assertThat(run.partial()).isTrue();
    }
}
