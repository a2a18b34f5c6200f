package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueFigure;

import io.rwautoscaler.prometheus.PrometheusException;

import io.rwautoscaler.prometheus.PrometheusClient;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rwautoscaler.config.PrometheusConfig;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.testsupport.CannedPrometheusServer;
import io.rwautoscaler.testsupport.QueueFigures;
import io.rwautoscaler.testsupport.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One query per figure for all queues, whatever their number; figures mapped without inventing zeros. */
class QueueObserverTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final QueueQueries QUERIES = new QueueQueries(new QueueQueries.Settings("namespace", "pod", "", 5000,
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofDays(7), Duration.ofMinutes(5), Duration.ofHours(1)));
    static final QueueObserver.ReceiverQueries RECEIVERS = new QueueObserver.ReceiverQueries(
            Optional.of("receiver_5xx"), Optional.of("receiver_429"), Optional.of("receiver_p99"),
            Optional.of("receiver_cpu"));

    final CannedPrometheusServer fake = new CannedPrometheusServer();
    final QueueObserver observer = new QueueObserver(client(fake.url()), QUERIES, RECEIVERS, "namespace", "pod");

    static PrometheusClient client(String url) {
        return new PrometheusClient(TestConfigs.config(Map.of("autoscaler.prometheus.url", url,
                "autoscaler.prometheus.timeout", "2s")).getConfigMapping(PrometheusConfig.class), new ObjectMapper(),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static QueueSeries series(int agent, int queue) {
        return new QueueSeries("ns-" + (agent % 7), "prom-agent-a" + agent + "-0", "q" + queue,
                "http://receive-" + queue + "/api/v1/receive");
    }

    @ParameterizedTest(name = "{0} agents × 3 queues")
    @ValueSource(ints = {1, 10, 300})
    void theNumberOfQueriesDoesNotGrowWithTheNumberOfQueues(int agents) {
        for (int a = 0; a < agents; a++) {
            for (int q = 0; q < 3; q++) {
                QueueFigures.steady(1, 50, 10000, 2000).into(fake, QUERIES, series(a, q));
            }
        }
        fake.resetCount();

        ObservedQueues observed = observer.observe(NOW);

        assertThat(observed.series()).hasSize(agents * 3);
        List<String> asked = fake.queries();
        assertThat(asked).hasSize(QueueFigure.values().length + 4).doesNotHaveDuplicates();
        assertThat(observed.queries()).isEqualTo(asked.size());
        assertThat(asked).noneMatch(q -> q.contains("prom-agent-a"));
    }

    @Test
    void figuresBecomeTheObservationAndPerPodOnesReachEachQueueOfThePod() {
        QueueSeries s = series(1, 0);
        QueueSeries sibling = series(1, 1);
        QueueFigures.atMax(1, 10, 10000, 2000).set(QueueFigure.PENDING_SAMPLES, 7000)
                .set(QueueFigure.QUEUE_ABOVE_THRESHOLD_FOR_SECONDS, 901.5).into(fake, QUERIES, s);
        QueueFigures.steady(1, 10, 10000, 2000).into(fake, QUERIES, sibling);
        fake.answer("receiver_5xx", Map.of("job", "thanos-receive"), 0.5);
        fake.answer("receiver_p99", Map.of(), 2.5);

        ObservedQueues observed = observer.observe(NOW);
        QueueObservation o = observed.observation(List.of(s), QueueConfig.of(1, 10, 10000, 2000));

        assertThat(o.pendingSamples()).hasValue(7000);
        assertThat(o.queueAboveThresholdFor()).contains(Duration.ofMillis(901_500));
        assertThat(o.shardsAtMaxWithDesiredAboveFor()).contains(Duration.ofHours(1));
        assertThat(o.shards()).hasValue(10);
        assertThat(o.shardsDesired()).hasValue(20);
        assertThat(o.runningMaxShards()).hasValue(10);
        assertThat(o.samplesInRate()).hasValue(8000);
        assertThat(o.shardsDesiredP99Over7d()).hasValue(20);
        assertThat(observed.receivers().errors5xxPerSecond()).hasValue(0.5);
        assertThat(observed.receivers().p99LatencySeconds()).hasValue(2.5);
        assertThat(observed.receivers().throttled429PerSecond()).isEmpty();
        assertThat(observed.runningConfig(sibling)).isEqualTo(QueueConfig.of(1, 10, 10000, 2000));
        assertThat(observed.errors()).isEmpty();
    }

    @Test
    void aQueueWithMissingMetricsHasUnknownFiguresNotZeros() {
        QueueSeries s = series(2, 0);
        fake.answer(QUERIES.of(QueueFigure.PENDING_SAMPLES), QueueFigures.labels(s, false), 12);
        fake.answer(QUERIES.of(QueueFigure.SEND_LATENCY_SECONDS), QueueFigures.labels(s, false), Double.NaN);

        ObservedQueues observed = observer.observe(NOW);
        QueueObservation o = observed.observation(List.of(s), QueueConfig.unset());

        assertThat(o.pendingSamples()).hasValue(12);
        assertThat(o.lagSeconds()).isEmpty();
        assertThat(o.sendLatencySeconds()).isEmpty();
        assertThat(o.queueAtZeroFor()).isEmpty();
        assertThat(observed.missingConfig(s)).containsExactly("shards_min", "shards_max", "capacity",
                "max_samples_per_send");
        assertThat(observed.observation(List.of(), QueueConfig.unset())).isEqualTo(QueueObservation.unknown());
    }

    @Test
    void aFailedQueryLeavesItsFigureUnknownAndIsReported() {
        QueueSeries s = series(3, 0);
        QueueFigures.steady(1, 10, 10000, 2000).into(fake, QUERIES, s);
        fake.failQuery(QUERIES.of(QueueFigure.LAG_SECONDS), 503);
        fake.failQuery("receiver_cpu", 400);

        ObservedQueues observed = observer.observe(NOW);

        assertThat(observed.observation(List.of(s), QueueConfig.of(1, 10, 10000, 2000)).lagSeconds()).isEmpty();
        assertThat(observed.figure(s, QueueFigure.PENDING_SAMPLES)).hasValue(300);
        assertThat(observed.errors()).containsOnlyKeys("lag_seconds", "receiver_cpu");
    }

    @Test
    void prometheusDownFailsTheObservation() {
        fake.failWith(503);
        assertThatThrownBy(() -> observer.observe(NOW)).isInstanceOf(PrometheusException.class);
    }

    @Test
    void everyQueryIsValidPromqlShapeWithOneReductionToQueueLabels() {
        Set<String> seen = new HashSet<>();
        QUERIES.all().forEach((figure, q) -> {
            assertThat(seen.add(q)).as("query of %s is distinct", figure).isTrue();
            assertThat(q).as(figure.name()).contains("namespace, pod, remote_name, url");
            assertThat(q.chars().filter(c -> c == '(').count()).as("balanced parentheses in %s", figure)
                    .isEqualTo(q.chars().filter(c -> c == ')').count());
        });
    }
}
