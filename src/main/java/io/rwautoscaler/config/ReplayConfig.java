package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/**
 * The replay ({@code GET /api/v1/replay}): what the loops would have done over past days. Every key is listed with
 * its default in docs/configuration.md (generated).
 */
@ConfigMapping(prefix = "autoscaler.replay")
public interface ReplayConfig {

    /** Serve replays at all. */
    @WithDefault("true")
    boolean enabled();

    /** The window when the request gives no {@code from}. */
    @WithDefault("7d")
    Duration defaultWindow();

    /** The decision step when the request gives none. */
    @WithDefault("5m")
    Duration defaultStep();

    /** Longest a replay may run (its queries and its steps); it is stopped then and the request answers 503. */
    @WithDefault("2m")
    Duration timeout();

    /** Timeout of one range query. */
    @WithDefault("60s")
    Duration queryTimeout();

    /**
     * Receiver policy rules whose value is a per-receiver figure (utilization of each receiver): rescaled by the
     * replicas the cluster had ÷ the replicas the replay runs, so the load is conserved.
     */
    @WithDefault("receiver-cpu-high,receiver-cpu-low,receiver-memory-high,receiver-memory-low")
    List<String> perReceiverRules();

    /**
     * Most values one replay holds (queues × figures × points): bounds its memory (4 bytes each). A week at 5 m for
     * 400 queues is about 10 million.
     */
    @WithDefault("40000000")
    long maxValues();

    /** The receivers' HorizontalPodAutoscaler, replayed with the port of the upstream controller beside the policy. */
    Hpa hpa();

    interface Hpa {
        /**
         * Replay the HPA whose scaleTargetRef is the receive StatefulSet, read from the cluster (cluster mode only).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The receivers' average CPU use over their request (one series, 0.7 = 70 %): what a {@code type: Resource}
         * cpu metric of the HPA reads (the metrics API's usage ÷ each pod's request). The default policy's
         * receiver-cpu expression.
         */
        @WithDefault("avg(sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{namespace=\"monitoring\", container=\"thanos-receive\"}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_requests{namespace=\"monitoring\", container=\"thanos-receive\", resource=\"cpu\"}) * on (namespace, pod) group_left() max by (namespace, pod) (kube_pod_labels{namespace=\"monitoring\", label_app=\"thanos-receive\"}))")
        String cpuUtilizationQuery();

        /** The receivers' average working set over their memory request (one series): a Resource memory metric. */
        @WithDefault("avg(sum by (namespace, pod) (container_memory_working_set_bytes{namespace=\"monitoring\", container=\"thanos-receive\"}) / sum by (namespace, pod) (kube_pod_container_resource_requests{namespace=\"monitoring\", container=\"thanos-receive\", resource=\"memory\"}) * on (namespace, pod) group_left() max by (namespace, pod) (kube_pod_labels{namespace=\"monitoring\", label_app=\"thanos-receive\"}))")
        String memoryUtilizationQuery();

        /**
         * kube-controller-manager's {@code --horizontal-pod-autoscaler-tolerance}: a metric within this ratio of its
         * target does not rescale.
         */
        @WithDefault("0.1")
        double tolerance();

        /** {@code --horizontal-pod-autoscaler-downscale-stabilization}, used when the HPA sets no behavior. */
        @WithDefault("5m")
        Duration downscaleStabilization();
    }
}
