package io.rwautoscaler.shards.wire;

import java.util.List;

/**
 * {@code GET /api/v1/agents}: the shard tuner's view of every agent and remote-write queue. Unknown figures are
 * {@code null}, never 0. Field names are the API; the core records may change shape without changing them.
 */
public record AgentsJson(String kind, String apiVersion, String mode, Leader leader, Cycle lastCycle,
                         Cycle lastSuccessfulCycle, List<AgentJson> agents, List<SeriesJson> unmatchedSeries,
                         List<String> problems) {

    public static final String KIND = "ShardTunerReport";
    public static final String API_VERSION = "rwa/v1";

    /** @param leader whether this replica acts; {@code holder} is who holds the lease as far as it knows */
    public record Leader(boolean leader, String identity, String holder) {
    }

    public record Cycle(String at, double tookSeconds, boolean ok, String error, java.util.Map<String, String> queryErrors,
                        int queries) {
    }

    public record AgentJson(String kind, String namespace, String name, List<String> problems,
                            List<QueueJson> queues) {
    }

    /**
     * @param state    {@code ok}, {@code raise}, {@code lower}, {@code waiting-for-drain}, {@code cooldown},
     *                 {@code reverted}, {@code receivers-bottleneck}, {@code insufficient-data},
     *                 {@code budget-exhausted}, {@code endpoint-failing}
     * @param index    position in {@code spec.remoteWrite}; null in local mode
     * @param pods     the pods whose series describe the queue
     */
    public record QueueJson(String remoteName, String url, Integer index, List<String> pods, String state,
                            String reason, boolean safeToApply, String safety, Config current, Config recommended,
                            List<String> changes, Observed observed, Receivers receivers, Change lastChange,
                            Action lastAction) {
    }

    /** Effective values; {@code defaulted} names the fields the resource leaves to Prometheus's defaults. */
    public record Config(int minShards, int maxShards, int capacity, int maxSamplesPerSend, List<String> defaulted) {
    }

    public record Observed(Double pendingSamples, Double lagSeconds, Double shards, Double shardsDesired,
                           Integer runningMinShards, Integer runningMaxShards, Double samplesInPerSecond,
                           Double samplesOutPerSecond, Double failedPerSecond, Double retriedPerSecond,
                           Double sendLatencySeconds, Double queueAboveThresholdForSeconds,
                           Double queueAtZeroForSeconds, Double shardsAtMaxWithDesiredAboveForSeconds,
                           Double shardsDesiredP99) {
    }

    public record Receivers(Double errors5xxPerSecond, Double throttled429PerSecond, Double p99LatencySeconds,
                            Double cpuUtilization) {
    }

    public record Change(String at, Config from, Config to, boolean reverted) {
    }

    /** @param outcome {@code patched}, {@code dry-run}, {@code conflict}, {@code failed}, {@code not-patchable},
     *                 {@code backing-off}, {@code not-leader} */
    public record Action(String at, String outcome, String detail, String patch) {
    }

    public record SeriesJson(String namespace, String pod, String remoteName, String url) {
    }
}
