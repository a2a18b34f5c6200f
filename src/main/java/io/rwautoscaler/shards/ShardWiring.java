package io.rwautoscaler.shards;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rwautoscaler.config.ClusterConfig;
import io.rwautoscaler.config.ConfigProblems;
import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.runtime.Leadership;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.prometheus.Prometheus;
import io.smallrye.config.ConfigValidationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/** The shard tuner's parts from configuration; local mode (no Kubernetes API) vs cluster mode is decided here. */
@ApplicationScoped
public class ShardWiring {

    /** The shard tuner's Event memory (its own: a queue's situation is not a receiver's). */
    public static final String EVENTS = "shard-events";


    @Produces
    @Singleton
    ShardPolicy shardPolicy(ShardsConfig c) {
        try {
            return new ShardPolicy(
                    new ShardPolicy.Triggers(c.queueThreshold(), c.raiseWindow(), c.scaleInWindow()),
                    new ShardPolicy.Sizing(c.headroom(), c.minShardsFloor(), c.maxShardsFloor(),
                            c.maxShardsCeiling(), c.maxStepUp(), c.maxStepDown(), c.hysteresis(),
                            c.capacityMinBatches(), c.capacityMaxBatches(), c.maxSamplesPerSendCeiling(),
                            c.fullBatchFraction()),
                    new ShardPolicy.Pacing(c.cooldown(), c.rolloutGrace(), c.changesPerHour(), c.maxLagToApply()),
                    new ShardPolicy.ReceiverLimits(c.receiverMax5xxPerSecond(), c.receiverMax429PerSecond(),
                            c.receiverMaxP99Latency().toMillis() / 1000.0, c.receiverMaxCpu(),
                            c.maxRetriedFraction()));
        } catch (ShardPolicy.InvalidField e) {
            throw invalid(e.field(), e.getMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid("", e.getMessage());
        }
    }

    @Produces
    @Singleton
    QueueQueries queueQueries(ShardsConfig c, MetricsConfig metrics) {
        ShardsConfig.Observe o = c.observe();
        return new QueueQueries(new QueueQueries.Settings(metrics.namespaceLabel(), metrics.podLabel(),
                metrics.matchers().orElse(""), c.queueThreshold(), c.raiseWindow(), c.scaleInWindow(),
                o.windowResolution(), o.rateWindow(), o.historyWindow(), o.historyResolution(), o.minHistory()));
    }

    @Produces
    @Singleton
    QueueObserver queueObserver(Prometheus prometheus, QueueQueries queries, ShardsConfig c,
                                MetricsConfig metrics) {
        ShardsConfig.ReceiverQueries r = c.receiverQueries();
        return new QueueObserver(prometheus, queries, new QueueObserver.ReceiverQueries(r.errors5xx(),
                r.throttled429(), r.p99Latency(), r.cpuUtilization()), metrics.namespaceLabel(), metrics.podLabel());
    }

    @Produces
    @Singleton
    QueueInventory queueInventory(KubernetesConfig kube, ShardsConfig c, Instance<KubernetesClient> client) {
        if (kube.enabled()) {
            return new KubeQueueInventory(client.get(), c.namespaces().orElse(List.of()));
        }
        return new SeriesQueueInventory();
    }

    @Produces
    @Singleton
    QueueConfigPatcher queueConfigPatcher(KubernetesConfig kube, ShardsConfig c, Instance<KubernetesClient> client) {
        return new QueueConfigPatcher(kube.enabled() ? Optional.of(client.get()) : Optional.empty(), c.mode());
    }

    @Produces
    @Singleton
    @Named(EVENTS)
    KubeEvents shardEvents(KubernetesConfig kube, Leadership leadership, Instance<KubernetesClient> client,
                           ClusterConfig cluster) {
        // A queue's situation is posted when it changes, not again while it lasts.
        return new KubeEvents(kube.enabled() ? Optional.of(client.get()) : Optional.empty(), leadership.identity(),
                cluster.cluster(), Optional.empty());
    }

    /** One line naming the key: the policy names the knob ({@link ShardPolicy.InvalidField}), the key is its kebab case. */
    static ConfigValidationException invalid(String field, String message) {
        String text = message == null ? "invalid shard tuner policy" : message;
        String key = switch (field) {
            case "" -> "autoscaler.shards";
            case "queueThresholdSamples" -> "autoscaler.shards.queue-threshold";
            case "receiverLimits" -> "autoscaler.shards.receiver-max-*";
            default -> "autoscaler.shards." + field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
        };
        return ConfigProblems.invalid(key, text);
    }
}
