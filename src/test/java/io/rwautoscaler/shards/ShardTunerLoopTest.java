package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueFigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.PrometheusConfig;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ShardState;
import io.rwautoscaler.runtime.Leadership;
import io.rwautoscaler.prometheus.PrometheusClient;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.testsupport.CannedPrometheusServer;
import io.rwautoscaler.testsupport.QueueFigures;
import io.rwautoscaler.testsupport.TestConfigs;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop in local mode against a fake Prometheus: reports, failures, overlapping runs, gauges. */
class ShardTunerLoopTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final QueueSeries PINNED = new QueueSeries("monitoring", "prometheus-agent-a-0", "a-to-receive",
            "http://receive/api/v1/write");
    static final QueueSeries QUIET = new QueueSeries("monitoring", "prometheus-agent-b-0", "b-to-receive",
            "http://receive/api/v1/write");

    final CannedPrometheusServer fake = new CannedPrometheusServer();
    final MeterRegistry registry = new SimpleMeterRegistry();
    final ShardReportHolder holder = new ShardReportHolder();
    final SmallRyeConfig config = TestConfigs.config(Map.of("autoscaler.prometheus.url", fake.url()));
    final ShardsConfig shards = config.getConfigMapping(ShardsConfig.class);
    final ShardWiring wiring = new ShardWiring();
    final QueueQueries queries = wiring.queueQueries(shards, config.getConfigMapping(MetricsConfig.class));
    final ShardTunerLoop loop = new ShardTunerLoop(shards, wiring.shardPolicy(shards),
            new QueueObserver(new PrometheusClient(config.getConfigMapping(PrometheusConfig.class), new ObjectMapper(),
                    registry), queries, QueueObserver.ReceiverQueries.NONE, "namespace", "pod"),
            new SeriesQueueInventory(), new QueueConfigPatcher(Optional.empty(), shards.mode()),
            new KubeEvents(Optional.empty(), "local", Optional.empty(), Optional.empty()), Leadership.always("local"), holder,
            Clock.fixed(NOW, ZoneOffset.UTC), registry);

    @AfterEach
    void stop() {
        fake.close();
    }

    ShardReport.Queue queue(ShardReport r, QueueSeries s) {
        return r.queues().stream().filter(q -> q.series().contains(s)).findFirst().orElseThrow();
    }

    double gauge(String name, String... tags) {
        var g = registry.find(name).tags(tags).gauge();
        return g == null ? Double.NaN : g.value();
    }

    @Test
    void perQueueSeriesAreBoundedAndQueuesNeedingAttentionGetThemFirst() {
        SmallRyeConfig limited = TestConfigs.config(Map.of("autoscaler.prometheus.url", fake.url(),
                "autoscaler.shards.metrics-queue-limit", "1"));
        ShardsConfig one = limited.getConfigMapping(ShardsConfig.class);
        MeterRegistry own = new SimpleMeterRegistry();
        ShardTunerLoop bounded = new ShardTunerLoop(one, wiring.shardPolicy(one),
                new QueueObserver(new PrometheusClient(limited.getConfigMapping(PrometheusConfig.class), new ObjectMapper(),
                        own), queries, QueueObserver.ReceiverQueries.NONE, "namespace", "pod"),
                new SeriesQueueInventory(), new QueueConfigPatcher(Optional.empty(), one.mode()),
                new KubeEvents(Optional.empty(), "local", Optional.empty(), Optional.empty()), Leadership.always("local"), new ShardReportHolder(),
                Clock.fixed(NOW, ZoneOffset.UTC), own);
        QueueFigures.atMax(1, 10, 10000, 2000).into(fake, queries, PINNED);
        QueueFigures.steady(1, 10, 10000, 2000).into(fake, queries, QUIET);

        bounded.runOnce(NOW);

        // The raise gets the one place (the quiet queue sorts first by name); the quiet queue is only counted.
        assertThat(own.find("rwa_shards_state").tags("agent", "prometheus-agent-a-0", "state", "raise").gauge().value()).isEqualTo(1);
        assertThat(own.find("rwa_shards_state").tags("agent", "prometheus-agent-b-0").gauges()).isEmpty();
        assertThat(own.find("rwa_shards_queues").tags("state", "raise").gauge().value()).isEqualTo(1);
        assertThat(own.find("rwa_shards_queues").tags("state", "ok").gauge().value()).isEqualTo(1);
        assertThat(own.find("rwa_shards_queues_without_series").gauge().value()).isEqualTo(1);

        // A queue keeps its series while it is reported; when it goes, the place is free for the next one.
        fake.forget(Map.of("pod", "prometheus-agent-a-0"));
        bounded.runOnce(NOW.plusSeconds(60));
        assertThat(own.find("rwa_shards_state").tags("agent", "prometheus-agent-a-0").gauges()).isEmpty();
        assertThat(own.find("rwa_shards_state").tags("agent", "prometheus-agent-b-0", "state", "ok").gauge().value()).isEqualTo(1);
        assertThat(own.find("rwa_shards_queues").tags("state", "raise").gauge().value()).isEqualTo(0);
        assertThat(own.find("rwa_shards_queues_without_series").gauge().value()).isEqualTo(0);
    }

    @Test
    void eachQueueIsReportedWithItsDecisionAndGauges() {
        QueueFigures.atMax(1, 10, 10000, 2000).into(fake, queries, PINNED);
        QueueFigures.steady(1, 10, 10000, 2000).into(fake, queries, QUIET);

        ShardReport r = loop.runOnce(NOW);

        assertThat(r.lastCycle().ok()).isTrue();
        assertThat(r.mode()).isEqualTo("recommend");
        assertThat(r.agents()).hasSize(2);
        ShardReport.Queue pinned = queue(r, PINNED);
        assertThat(pinned.decision().state()).isEqualTo(ShardState.RAISE);
        assertThat(pinned.decision().recommended().effectiveMaxShards()).isEqualTo(20);
        assertThat(pinned.decision().reason()).contains("shards at max 10");
        assertThat(pinned.lastAction()).hasValueSatisfying(a -> assertThat(a.outcome()).isEqualTo("not-patchable"));
        assertThat(queue(r, QUIET).decision().state()).isEqualTo(ShardState.OK);
        assertThat(holder.current()).contains(r);

        assertThat(gauge("rwa_shards_state", "agent", "prometheus-agent-a-0", "state", "raise")).isEqualTo(1);
        assertThat(gauge("rwa_shards_state", "agent", "prometheus-agent-a-0", "state", "ok")).isEqualTo(0);
        assertThat(gauge("rwa_shards_recommended_max_shards", "agent", "prometheus-agent-a-0")).isEqualTo(20);
        assertThat(gauge("rwa_shards_current_max_shards", "agent", "prometheus-agent-a-0")).isEqualTo(10);
        assertThat(gauge("rwa_shards_last_success_timestamp_seconds")).isEqualTo(NOW.getEpochSecond());

        // Nothing patched in recommend/local mode: the next cycle decides the same, no cooldown.
        assertThat(loop.state().changes()).isEmpty();
        assertThat(queue(loop.runOnce(NOW.plusSeconds(60)), PINNED).decision().state()).isEqualTo(ShardState.RAISE);

        fake.forget(Map.of("pod", "prometheus-agent-a-0"));
        loop.runOnce(NOW.plusSeconds(120));
        assertThat(registry.find("rwa_shards_state").tags("agent", "prometheus-agent-a-0").gauges()).isEmpty();
    }

    @Test
    void aQueueWithMissingMetricsIsInsufficientData() {
        fake.answer(queries.of(QueueFigure.SHARDS_MAX), QueueFigures.labels(PINNED, false), 10);
        ShardReport.Queue q = queue(loop.runOnce(NOW), PINNED);
        assertThat(q.decision().state()).isEqualTo(ShardState.INSUFFICIENT_DATA);
        assertThat(q.decision().reason()).contains("metrics missing");
        assertThat(q.agent().problems()).singleElement().asString().contains("no shards_min, capacity");
    }

    @Test
    void aFailedCycleIsReportedCountedAndTheNextOneRuns() {
        QueueFigures.atMax(1, 10, 10000, 2000).into(fake, queries, PINNED);
        loop.runOnce(NOW);
        fake.failWith(503);

        ShardReport failed = loop.runOnce(NOW.plusSeconds(60));

        assertThat(failed.lastCycle().ok()).isFalse();
        assertThat(failed.lastCycle().error()).hasValueSatisfying(e -> assertThat(e).contains("503"));
        assertThat(failed.lastSuccess()).hasValueSatisfying(c -> assertThat(c.at()).isEqualTo(NOW));
        assertThat(failed.queues()).hasSize(1); // the last good decisions stay visible
        assertThat(registry.find("rwa_shards_cycles").tags("outcome", "failure").counter().count()).isEqualTo(1);

        fake.failWith(200);
        assertThat(loop.runOnce(NOW.plusSeconds(120)).lastCycle().ok()).isTrue();
        assertThat(registry.find("rwa_shards_cycles").tags("outcome", "success").counter().count()).isEqualTo(2);
    }

    @Test
    void aCycleStartedWhileOneIsRunningIsSkippedNotQueued() throws Exception {
        QueueFigures.steady(1, 10, 10000, 2000).into(fake, queries, QUIET);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fake.onRequest(() -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<ShardReport> slow = CompletableFuture.supplyAsync(() -> loop.runOnce(NOW));
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.isRunning()).isTrue();

        assertThat(loop.runOnce(NOW.plusSeconds(60))).isNull(); // nothing published yet, and nothing run
        assertThat(registry.find("rwa_shards_cycles").tags("outcome", "skipped").counter().count()).isEqualTo(1);

        fake.onRequest(null);
        release.countDown();
        assertThat(slow.get(30, TimeUnit.SECONDS).lastCycle().at()).isEqualTo(NOW);
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void theSchedulerSkipsRatherThanPilesUp() throws Exception {
        Scheduled s = ShardTunerLoop.class.getDeclaredMethod("scheduled").getAnnotation(Scheduled.class);
        assertThat(s.concurrentExecution()).isEqualTo(Scheduled.ConcurrentExecution.SKIP);
        assertThat(s.every()).isEqualTo("${autoscaler.shards.every:1m}");
    }
}
