package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The shard tuner: how often it runs, whether it patches, and the policy it decides with. Every key is listed with
 * its default in the README's "Shard tuner" section; the policy defaults are those of {@code ShardPolicy.defaults()}
 * and say where each figure comes from there.
 */
@ConfigMapping(prefix = "autoscaler.shards")
public interface ShardsConfig {

    /** Run the tuner loop at all. */
    @WithDefault("true")
    boolean enabled();

    /** {@code recommend}: decide and report only. {@code apply}: also patch the agents' queueConfig (cluster mode). */
    @WithDefault("recommend")
    Mode mode();

    /** How often a cycle (observe, decide, act, report) starts; a cycle still running then is skipped, not queued. */
    @WithDefault("1m")
    Duration every();

    /** Namespaces whose Prometheus/PrometheusAgent resources are tuned; empty = all namespaces. */
    Optional<List<String>> namespaces();

    /** Pending samples that count as "queue high" (runbook: 5000). */
    @WithDefault("5000")
    long queueThreshold();

    /** How long the queue must stay high, or shards at max with desired above, before raising (runbook: 15 min). */
    @WithDefault("15m")
    Duration raiseWindow();

    /** How long the queue must sit at 0 before lowering (runbook: 30 min). */
    @WithDefault("30m")
    Duration scaleInWindow();

    /** maxShards target = basis (7-day p99 of shards_desired, or desired now) × headroom. */
    @WithDefault("2.0")
    double headroom();

    /** Never recommend fewer minShards. */
    @WithDefault("1")
    int minShardsFloor();

    /** Never lower maxShards below this (the runbook's minShards). */
    @WithDefault("10")
    int maxShardsFloor();

    /** Never raise maxShards above this. */
    @WithDefault("1000")
    int maxShardsCeiling();

    /** At most this factor up per change. */
    @WithDefault("2.0")
    double maxStepUp();

    /** At most this factor down per change. */
    @WithDefault("2.0")
    double maxStepDown();

    /** A bound moving by no more than this fraction stays put: every change restarts the queue. */
    @WithDefault("0.2")
    double hysteresis();

    /** capacity ≥ this × maxSamplesPerSend. */
    @WithDefault("3")
    int capacityMinBatches();

    /** capacity ≤ this × maxSamplesPerSend. */
    @WithDefault("10")
    int capacityMaxBatches();

    /** Never raise maxSamplesPerSend above this. */
    @WithDefault("10000")
    int maxSamplesPerSendCeiling();

    /** Batches count as full at this fraction of maxSamplesPerSend (then maxSamplesPerSend goes up with a raise). */
    @WithDefault("0.9")
    double fullBatchFraction();

    /** No new change to a queue this long after our last one. */
    @WithDefault("30m")
    Duration cooldown();

    /** After a change, seeing the old config is "still rolling out" for this long; after it, a revert. */
    @WithDefault("5m")
    Duration rolloutGrace();

    /** Cluster-wide budget of applied changes per sliding hour. */
    @WithDefault("10")
    int changesPerHour();

    /** Apply a change only while the queue's lag is below this, so the queue restart drops nothing in flight. */
    @WithDefault("60s")
    Duration maxLagToApply();

    /** Receiver 5xx answers per second above which receivers count as the bottleneck. */
    @WithDefault("0.1")
    double receiverMax5xxPerSecond();

    /** Receiver 429 answers per second above which receivers count as the bottleneck. */
    @WithDefault("0.1")
    double receiverMax429PerSecond();

    /** Receiver p99 remote-write latency above which receivers count as the bottleneck (runbook: 2 s). */
    @WithDefault("2s")
    Duration receiverMaxP99Latency();

    /** Receiver CPU used/requested above which receivers count as the bottleneck (runbook: 80%). */
    @WithDefault("0.8")
    double receiverMaxCpu();

    /**
     * Queues that get their own gauges ({@code rwa_shards_state}, {@code rwa_shards_recommended_*}, … with the
     * queue's labels: 18 series each). Beyond it, queues are counted in {@code rwa_shards_queues{state}} only, so a
     * fleet of thousands of queues does not put hundreds of thousands of series on /q/metrics; the queues whose
     * state is not {@code ok} get theirs first.
     */
    @WithDefault("250")
    int metricsQueueLimit();

    /** Agent-side: samples retried / samples sent above which receivers count as the bottleneck. */
    @WithDefault("0.01")
    double maxRetriedFraction();

    /** How the figures are read from Prometheus. */
    Observe observe();

    /** PromQL for the receivers' health; each is optional (empty = not known) and must return one value. */
    ReceiverQueries receiverQueries();

    enum Mode { RECOMMEND, APPLY }

    interface Observe {

        /** Window of the rates (samples in/out, retried, failed, send latency). */
        @WithDefault("5m")
        Duration rateWindow();

        /** Step of the subqueries that measure how long the queue has been high, at 0, or shards at max. */
        @WithDefault("30s")
        Duration windowResolution();

        /** Span of the shards_desired p99 that sizes maxShards. */
        @WithDefault("7d")
        Duration historyWindow();

        /** Step of the p99 subquery. */
        @WithDefault("5m")
        Duration historyResolution();

        /** Less shards_desired history than this within the history window: no p99 (insufficient data). */
        @WithDefault("1h")
        Duration minHistory();
    }

    interface ReceiverQueries {

        /** Remote-write requests answered 5xx per second (Thanos Receive's {@code handler="receive"}). */
        @WithDefault("sum(rate(http_requests_total{handler=\"receive\",code=~\"5..\"}[5m]))")
        Optional<String> errors5xx();

        /** Remote-write requests answered 429 per second. */
        @WithDefault("sum(rate(http_requests_total{handler=\"receive\",code=\"429\"}[5m]))")
        Optional<String> throttled429();

        /** p99 of the receivers' remote-write request duration, seconds. */
        @WithDefault("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{handler=\"receive\"}[5m])))")
        Optional<String> p99Latency();

        /** Receiver CPU used / requested, as a fraction. */
        @WithDefault("sum(rate(container_cpu_usage_seconds_total{container=\"thanos-receive\"}[5m])) / sum(kube_pod_container_resource_requests{container=\"thanos-receive\",resource=\"cpu\"})")
        Optional<String> cpuUtilization();
    }
}
