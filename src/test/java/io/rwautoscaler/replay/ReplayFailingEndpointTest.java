package io.rwautoscaler.replay;

import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.hpa.MetricSpec;
import io.rwautoscaler.core.hpa.MetricTarget;
import io.rwautoscaler.core.metrics.BuiltinRules;
import io.rwautoscaler.core.metrics.CustomMetricQuery;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.PromQlTemplate;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.EndpointFailure;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.metrics.ObjectValue;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.core.replay.Grid;
import io.rwautoscaler.core.replay.HpaFigures;
import io.rwautoscaler.prometheus.PrometheusClient;
import io.rwautoscaler.shards.QueueObserver;
import io.rwautoscaler.testsupport.Backfill;
import io.rwautoscaler.testsupport.OpenMetrics;
import io.rwautoscaler.testsupport.PrometheusProcess;
import io.rwautoscaler.testsupport.TestPrometheusClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The receivers' {@code Pods} metric in the replay is what the live snapshot serves at each step (issue 14 item 2):
 * a queue whose remote-write endpoint fails ({@link EndpointFailure}) is left out of the agents' total. A real
 * Prometheus holds three backfilled hours in which two queues' endpoints die halfway: one of a pod with a second,
 * healthy queue (told apart by {@code url}), one of an agent scraped without Kubernetes labels (no
 * {@code namespace}/{@code pod}, told apart from a healthy one by {@code instance}), so the absent labels are
 * matched too. The expected value at each step is live's own code (MetricData's failing queues, Snapshot's share
 * over the receivers) on instant queries at that step.
 */
class ReplayFailingEndpointTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
    static final Instant END = START.plus(Duration.ofHours(3));
    static final Instant DIES = START.plus(Duration.ofMinutes(90));
    static final Duration SCRAPE = Duration.ofSeconds(30);
    static final String URL = "http://thanos-receive-lb:19291/api/v1/receive";
    static final List<PodInfo> RECEIVERS = List.of(receiver("thanos-receive-0"), receiver("thanos-receive-1"),
            receiver("thanos-receive-2"));
    static final MetricRule QUEUE_LENGTH = servedRule(BuiltinRules.QUEUE_LENGTH);

    static PrometheusProcess prometheus;
    static PrometheusClient client;

    @BeforeAll
    static void backfill() {
        OpenMetrics history = new OpenMetrics();
        Instant from = START.minus(Duration.ofMinutes(10));
        queue(history, from, Map.of("namespace", "monitoring", "pod", "prom-agent-a-0", "remote_name", "thanos", "url", URL),
                800, 800, false);
        queue(history, from, Map.of("namespace", "monitoring", "pod", "prom-agent-b-0", "remote_name", "thanos", "url", URL),
                200, 9000, true);
        queue(history, from, Map.of("namespace", "monitoring", "pod", "prom-agent-b-0", "remote_name", "backup",
                "url", "http://backup:19291/api/v1/receive"), 500, 500, false);
        queue(history, from, Map.of("instance", "10.0.0.3:9090", "job", "agent", "remote_name", "thanos", "url", URL),
                300, 4000, true);
        queue(history, from, Map.of("instance", "10.0.0.4:9090", "job", "agent", "remote_name", "thanos", "url", URL),
                100, 100, false);
        prometheus = Backfill.server("replay-failing-endpoint", history);
        client = TestPrometheusClient.of(prometheus.baseUrl(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.stop();
        }
    }

    /** One agent queue: its pending samples, and 1,000 samples/s tried, all retried from {@link #DIES} if it dies. */
    static void queue(OpenMetrics h, Instant from, Map<String, String> labels, double pendingBefore, double pendingAfter,
                      boolean dies) {
        h.gauge("prometheus_remote_storage_samples_pending", labels, from, END, SCRAPE,
                t -> t.isBefore(DIES) ? pendingBefore : pendingAfter);
        h.counter("prometheus_remote_storage_samples_total", labels, from, END, SCRAPE, t -> 1000);
        h.counter("prometheus_remote_storage_samples_retried_total", labels, from, END, SCRAPE,
                t -> dies && !t.isBefore(DIES) ? 1000 : 0);
        // Prometheus exports every queue's counters from its start; FAILING_QUEUES adds retried and failed.
        h.counter("prometheus_remote_storage_samples_failed_total", labels, from, END, SCRAPE, t -> 0);
    }

    @Test
    void theReceiversShareLeavesFailingQueuesOutAtEachStepAsLiveDoes() {
        Grid grid = Grid.aligned(START, END, Duration.ofMinutes(1));
        ReplayReader reader = new ReplayReader(client, new ReplayReader.Sources("", "", null,
                QueueObserver.ReceiverQueries.NONE, "namespace", "pod"), Duration.ofSeconds(30), 1_000_000);
        HpaSpec spec = new HpaSpec(3, 10, List.of(new MetricSpec.Pods(BuiltinRules.QUEUE_LENGTH, Optional.empty(),
                MetricTarget.averageValueMilli(3_000_000))), Optional.empty());
        HpaFigures figures = reader.hpa(grid, spec, new ReplayReader.HpaSources(List.of(QUEUE_LENGTH),
                ReceiverFeed.DEFAULT.agents(), "monitoring", "unused", "unused"));
        assertThat(figures.errors()).isEmpty();
        double[] replayed = figures.podsTotals().get(BuiltinRules.QUEUE_LENGTH);

        // Step by step, the agents' total as the live snapshot spreads it over the receivers.
        int failingSteps = 0;
        for (int k = 0; k < grid.size(); k++) {
            Instant t = grid.instant(k);
            LiveShare live = live(t);
            assertThat(replayed[k]).as("replayed total at %s (live: %s)", t, live).isCloseTo(live.total(), within(1e-6));
            failingSteps += live.failing().isEmpty() ? 0 : 1;
        }
        // Not vacuous: both queues fail from 5 minutes after they die to the end.
        assertThat(failingSteps).isGreaterThan(grid.size() / 2 - 10);
        assertThat(live(END).failing()).containsExactlyInAnyOrder(
                new MetricData.QueueKey("monitoring", "prom-agent-b-0", "", "thanos", URL),
                new MetricData.QueueKey("", "", "10.0.0.3:9090", "thanos", URL));

        // The figures by construction: 800 + 200 + 500 + 300 + 100 before; 800 + 500 + 100 once the two are dead
        // (not 800 + 9000 + 500 + 4000 + 100).
        assertThat(replayed[grid.atOrBefore(DIES.minus(Duration.ofMinutes(1)).toEpochMilli())]).isEqualTo(1900);
        assertThat(replayed[grid.atOrBefore(DIES.plus(Duration.ofMinutes(10)).toEpochMilli())]).isEqualTo(1400);
        assertThat(replayed[grid.size() - 1]).isEqualTo(1400);
    }

    record LiveShare(double total, Set<MetricData.QueueKey> failing) {
    }

    /** What SnapshotRefresher fetches at {@code t} and Snapshot serves the receivers, summed over them. */
    static LiveShare live(Instant t) {
        List<Sample> finite = client.query(QUEUE_LENGTH.query(), t).vector().stream().filter(Sample::isFinite).toList();
        Set<MetricData.QueueKey> failing = client.query(EndpointFailure.FAILING_QUEUES, t).vector().stream()
                .map(MetricData.QueueKey::of).collect(Collectors.toSet());
        Snapshot s = new Snapshot(t, List.of(QUEUE_LENGTH),
                Map.of(QUEUE_LENGTH.name(), new MetricData(QUEUE_LENGTH, finite, t, failing)), Map.of(), RECEIVERS,
                ObjectLabels.DEFAULT);
        List<ObjectValue> shares = s.custom(new CustomMetricQuery(ResourceKind.PODS, "monitoring", CustomMetricQuery.ALL,
                QUEUE_LENGTH.name(), LabelSelector.parse("app=thanos-receive"), LabelSelector.parse("")),
                ReceiverFeed.DEFAULT, t, Duration.ofMinutes(5));
        assertThat(shares).hasSize(RECEIVERS.size());
        return new LiveShare(shares.stream().mapToDouble(ObjectValue::value).sum(), failing);
    }

    static PodInfo receiver(String name) {
        return new PodInfo("monitoring", name, Map.of("app", "thanos-receive"), true);
    }

    /** The built-in rule as MetricRuleSet renders it without matchers. */
    static MetricRule servedRule(String name) {
        BuiltinRules.Definition d = BuiltinRules.all().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
        Map<String, String> values = Map.of(PromQlTemplate.MATCHERS, "", PromQlTemplate.WINDOW, "0s");
        return new MetricRule(d.name(), PromQlTemplate.parse(d.query()).render(values), Optional.empty(), d.kinds(),
                d.aggregation(), d.window(), d.distributeToReceivers(), d.description());
    }
}
