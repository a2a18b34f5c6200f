package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.EndpointFailure;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;

import java.time.Duration;
import java.util.List;

/**
 * The runbook's trigger tables as policy rules: the default policy.
 *
 * <p>Every expression returns one series (already aggregated), so a rule has one value. Utilizations are
 * ratios (0.8 = 80%). Receivers are the pods labelled {@code app=thanos-receive} in {@code monitoring}; cAdvisor
 * series carry no pod labels, so they are joined with kube-state-metrics' {@code kube_pod_labels}, which
 * needs {@code --metric-labels-allowlist=pods=[app]} on kube-state-metrics v2. Without it the receiver
 * rules return no data and show as UNKNOWN, never as fine.
 */
public final class RunbookRules {

    public static final String AGENT_QUEUE_HIGH = "agent-queue-high";
    public static final String RECEIVER_CPU_HIGH = "receiver-cpu-high";
    public static final String RECEIVER_MEMORY_HIGH = "receiver-memory-high";
    public static final String RECEIVER_VOLUME_HIGH = "receiver-volume-high";
    public static final String RECEIVER_LATENCY_HIGH = "receiver-latency-p99-high";
    public static final String RECEIVER_CPU_LOW = "receiver-cpu-low";
    public static final String RECEIVER_MEMORY_LOW = "receiver-memory-low";
    public static final String AGENT_QUEUE_EMPTY = "agent-queue-empty";

    public static final ObjectRef RECEIVERS = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "thanos-receive");
    public static final ObjectRef AGENTS = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "prometheus-agent");

    private static final String RECEIVER_PODS =
            "max by (namespace, pod) (kube_pod_labels{namespace=\"monitoring\", label_app=\"thanos-receive\"})";

    /**
     * Every agent queue whose endpoint is failing ({@link EndpointFailure}), valued by the share of samples tried
     * that were retried or dropped over 5m ({@code +Inf} when none were tried).
     */
    public static final String FAILING_QUEUES = EndpointFailure.FAILING_QUEUES;

    /**
     * The worst remote-write backlog of any agent whose endpoint accepts its samples. A queue whose endpoint fails
     * ({@link #FAILING_QUEUES}) is left out: more receivers or agent shards cannot drain a backlog nobody accepts
     * ({@code /api/v1/receivers} lists such queues instead). Agents older than Prometheus 2.24 (or Agent mode before
     * the rename) expose {@code prometheus_remote_storage_pending_samples}; {@code or} keeps whichever exists.
     */
    public static final String AGENT_QUEUE = "max(" + EndpointFailure.withoutFailingQueues(
            "prometheus_remote_storage_samples_pending or prometheus_remote_storage_pending_samples") + ")";

    /** Average receiver CPU over its request, the same ratio the runbook's HPA targets (70%). */
    public static final String RECEIVER_CPU = "avg("
            + "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{namespace=\"monitoring\", container=\"thanos-receive\"}[5m]))"
            + " / sum by (namespace, pod) (kube_pod_container_resource_requests{namespace=\"monitoring\", container=\"thanos-receive\", resource=\"cpu\"})"
            + " * on (namespace, pod) group_left() " + RECEIVER_PODS + ")";

    /**
     * The fullest receiver's working set over its memory limit: the OOM killer acts per pod at the limit,
     * so the worst pod counts, not the average.
     */
    public static final String RECEIVER_MEMORY = "max("
            + "sum by (namespace, pod) (container_memory_working_set_bytes{namespace=\"monitoring\", container=\"thanos-receive\"})"
            + " / sum by (namespace, pod) (kube_pod_container_resource_limits{namespace=\"monitoring\", container=\"thanos-receive\", resource=\"memory\"})"
            + " * on (namespace, pod) group_left() " + RECEIVER_PODS + ")";

    /** The fullest receiver TSDB volume ({@code data-thanos-receive-N}). */
    public static final String RECEIVER_VOLUME = "max("
            + "kubelet_volume_stats_used_bytes{namespace=\"monitoring\", persistentvolumeclaim=~\"data-thanos-receive-[0-9]+\"}"
            + " / kubelet_volume_stats_capacity_bytes{namespace=\"monitoring\", persistentvolumeclaim=~\"data-thanos-receive-[0-9]+\"})";

    /** p99 of the receive handler across all receivers, in seconds. */
    public static final String RECEIVER_LATENCY_P99 = "histogram_quantile(0.99, sum by (le) ("
            + "rate(http_request_duration_seconds_bucket{namespace=\"monitoring\", handler=\"receive\"}[5m])))";

    /**
     * The volume rule waits 5m: disk use only grows over hours, and 70% leaves 30% headroom, but a block
     * being written next to the one it replaces can spike usage for a scrape or two.
     */
    public static final Duration VOLUME_FOR = Duration.ofMinutes(5);

    /**
     * The latency rule waits 10m, as long as the CPU rule it usually accompanies: two 5m rate windows, so
     * a single slow burst (a head cut, one pod restarting) does not add receivers.
     */
    public static final Duration LATENCY_FOR = Duration.ofMinutes(10);

    private RunbookRules() {
    }

    public static List<PolicyRule> all() {
        return List.of(
                rule(AGENT_QUEUE_HIGH, AGENT_QUEUE, Comparison.GREATER, 5000, Duration.ofMinutes(15),
                        RuleAction.ADD_AGENT_SHARDS, AGENTS),
                rule(RECEIVER_CPU_HIGH, RECEIVER_CPU, Comparison.GREATER, 0.80, Duration.ofMinutes(10),
                        RuleAction.ADD_RECEIVERS, RECEIVERS),
                rule(RECEIVER_MEMORY_HIGH, RECEIVER_MEMORY, Comparison.GREATER, 0.85, Duration.ofMinutes(10),
                        RuleAction.ADD_RECEIVER_MEMORY, RECEIVERS),
                rule(RECEIVER_VOLUME_HIGH, RECEIVER_VOLUME, Comparison.GREATER, 0.70, VOLUME_FOR,
                        RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION, RECEIVERS),
                rule(RECEIVER_LATENCY_HIGH, RECEIVER_LATENCY_P99, Comparison.GREATER, 2, LATENCY_FOR,
                        RuleAction.ADD_RECEIVERS, RECEIVERS),
                rule(RECEIVER_CPU_LOW, RECEIVER_CPU, Comparison.LESS, 0.30, Duration.ofHours(1),
                        RuleAction.REMOVE_RECEIVERS, RECEIVERS),
                rule(RECEIVER_MEMORY_LOW, RECEIVER_MEMORY, Comparison.LESS, 0.40, Duration.ofHours(1),
                        RuleAction.REMOVE_RECEIVER_MEMORY, RECEIVERS),
                rule(AGENT_QUEUE_EMPTY, AGENT_QUEUE, Comparison.EQUAL, 0, Duration.ofMinutes(30),
                        RuleAction.REMOVE_AGENT_SHARDS, AGENTS));
    }

    private static PolicyRule rule(String name, String expression, Comparison comparison, double threshold,
                                   Duration forDuration, RuleAction action, ObjectRef target) {
        return new PolicyRule(name, expression, comparison, threshold, forDuration, action, target);
    }
}
