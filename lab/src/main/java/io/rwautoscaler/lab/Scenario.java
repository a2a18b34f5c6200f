package io.rwautoscaler.lab;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One fleet and one load curve, as a scenario file describes them (see {@link ScenarioReader} for the keys and
 * their defaults, and docs/surge-lab.md for where each default comes from).
 *
 * @param hpa        the receivers' HorizontalPodAutoscaler spec as users write it (autoscaling/v2)
 * @param strategies the strategies to compare, in {@link Strategy} order
 */
public record Scenario(String name, Duration duration, long seed, Agents agents, Receivers receivers,
                       Observation observation, LoadCurve load, HorizontalPodAutoscalerSpec hpa,
                       List<Strategy> strategies, Manual manual) {

    public Scenario {
        strategies = List.copyOf(strategies);
    }

    public Scenario withStrategies(List<Strategy> value) {
        return new Scenario(name, duration, seed, agents, receivers, observation, load, hpa, value, manual);
    }

    public Scenario withHpa(HorizontalPodAutoscalerSpec value) {
        return new Scenario(name, duration, seed, agents, receivers, observation, load, value, strategies, manual);
    }

    public Scenario withReceivers(Receivers value) {
        return new Scenario(name, duration, seed, agents, value, observation, load, hpa, strategies, manual);
    }

    public Scenario withAgents(Agents value) {
        return new Scenario(name, duration, seed, value, receivers, observation, load, hpa, strategies, manual);
    }

    /**
     * The agents: {@code count} Prometheus agents sharing the load evenly, each with one remote-write queue.
     *
     * @param walRetention unsent samples older than this fall out of the agent's WAL and are lost
     * @param reshardDuringBackoff Prometheus before 2.51 resharded while retrying recoverable errors
     */
    public record Agents(int count, QueueSettings queueConfig, Duration walRetention, boolean reshardDuringBackoff) {
        public Agents withQueueConfig(QueueSettings value) {
            return new Agents(count, value, walRetention, reshardDuringBackoff);
        }
    }

    /**
     * A remote-write {@code queue_config}; the defaults are Prometheus' {@code DefaultQueueConfig} (config/config.go).
     *
     * @param flushDeadline how long a resharding or restarting queue may flush before it drops what is left
     *                      ({@code --storage.remote.flush-deadline}, 1m)
     */
    public record QueueSettings(int minShards, int maxShards, int capacity, int maxSamplesPerSend,
                                Duration batchSendDeadline, Duration minBackoff, Duration maxBackoff,
                                Duration flushDeadline) {
        public QueueSettings withMaxShards(int value) {
            return new QueueSettings(minShards, value, capacity, maxSamplesPerSend, batchSendDeadline, minBackoff,
                    maxBackoff, flushDeadline);
        }

        public QueueSettings withBounds(int min, int max, int cap, int msps) {
            return new QueueSettings(min, max, cap, msps, batchSendDeadline, minBackoff, maxBackoff, flushDeadline);
        }
    }

    /**
     * The receive StatefulSet.
     *
     * @param sendLatency                 mean remote-write request latency of an idle receiver; it rises with
     *                                    utilization as latency / (1 - u), capped at u = 0.9
     * @param hashringFlushSeconds        how long a receiver refuses writes while it flushes its TSDB after its
     *                                    hashring changed (thanos#3141)
     * @param hashringAlgorithm           {@code hashmod} (Thanos' default) or {@code ketama}: how many series move
     * @param rollOnChange                the product rolls the receivers after a hashring change
     *                                    ({@code autoscaler.receivers.hashring.roll-on-change})
     * @param parallelPods                StatefulSet {@code podManagementPolicy: Parallel} (all new pods start at
     *                                    once) instead of Kubernetes' default {@code OrderedReady}
     * @param latencyGrows                {@code sendLatencyModel: mm1} (default): latency / (1 - u); {@code constant}:
     *                                    the same latency at any utilization (the calibration proxy's fixed delay)
     */
    public record Receivers(int replicas, double samplesPerSecondPerReplica, Duration startup,
                            Duration hashringPropagation, double cpuRequestCores, long memoryRequestBytes,
                            double cpuIdleCores, double cpuAtCapacityCores, long memoryIdleBytes,
                            long memoryAtCapacityBytes, Duration sendLatency, Duration hashringFlush,
                            String hashringAlgorithm, boolean rollOnChange, boolean parallelPods,
                            boolean latencyGrows) {
        public Receivers withRollOnChange(boolean value) {
            return new Receivers(replicas, samplesPerSecondPerReplica, startup, hashringPropagation, cpuRequestCores,
                    memoryRequestBytes, cpuIdleCores, cpuAtCapacityCores, memoryIdleBytes, memoryAtCapacityBytes,
                    sendLatency, hashringFlush, hashringAlgorithm, value, parallelPods, latencyGrows);
        }

        public Receivers withParallelPods(boolean value) {
            return new Receivers(replicas, samplesPerSecondPerReplica, startup, hashringPropagation, cpuRequestCores,
                    memoryRequestBytes, cpuIdleCores, cpuAtCapacityCores, memoryIdleBytes, memoryAtCapacityBytes,
                    sendLatency, hashringFlush, hashringAlgorithm, rollOnChange, value, latencyGrows);
        }
    }

    /**
     * How figures reach the deciders.
     *
     * @param scrapeInterval       Prometheus scrapes the agents and receivers this often (the runbook's 30s)
     * @param refresh              the product's snapshot refresh ({@code autoscaler.metrics.refresh}, 15s)
     * @param hpaSync              the HPA controller's sync period ({@code --horizontal-pod-autoscaler-sync-period}, 15s)
     * @param resourceResolution   metrics-server's resolution for CPU and memory ({@code --metric-resolution}, 15s)
     * @param shardTunerEvery      {@code autoscaler.shards.every} (1m)
     * @param policyEvery          {@code autoscaler.policy.every} (30s)
     * @param hashringEvery        {@code autoscaler.receivers.hashring.every} (15s)
     */
    public record Observation(Duration scrapeInterval, Duration refresh, Duration hpaSync,
                              Duration resourceResolution, Duration shardTunerEvery, Duration policyEvery,
                              Duration hashringEvery) {
    }

    /**
     * The {@code manual-runbook} operator: acts on the runbook's triggers (the product's receiver policy, in
     * recommend mode) this long after a scale-out or scale-in recommendation first shows.
     */
    public record Manual(Duration reaction) {
    }

    public Optional<Strategy> strategy(String name) {
        return strategies.stream().filter(s -> s.label().equals(name)).findFirst();
    }
}
