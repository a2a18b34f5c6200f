package io.rwautoscaler.e2e;

import io.rwautoscaler.testsupport.OpenMetrics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Three hours of the runbook's pipeline at 30 s resolution, with exactly the series the default policy's
 * PromQL reads: 3 receivers ({@code thanos-receive-0..2}, requests 1 CPU, memory limit 8Gi, 100Gi volumes)
 * and 3 agents (cluster-02/03/04) sending 8,000 samples/s in total. {@link #doubling()} is when the traffic
 * doubles to 16,000 samples/s: the receivers' CPU goes from 55% to 95% of its request and the agents' queues
 * from 800 to 9,000 pending samples. Memory (60% of the limit), volumes (40%) and the receive p99 (below
 * 0.5 s) stay calm throughout, so only the CPU and queue rules can fire.
 *
 * <ul>
 * <li>{@link #calmInstant()}: 2h15m of calm behind it, longer than any rule's window plus its 5m rate.</li>
 * <li>{@link #end()}: 40 min after the doubling, longer than the CPU (10m) and queue (15m) windows.</li>
 * </ul>
 */
public record RunbookHistory(Instant end) {

    static final Duration STEP = Duration.ofSeconds(30);
    static final Duration LENGTH = Duration.ofHours(3);
    static final Duration AFTER_DOUBLING = Duration.ofMinutes(40);
    static final double CALM_SAMPLES = 8000;
    static final double DOUBLED_SAMPLES = 16000;
    static final List<String> RECEIVERS = List.of("thanos-receive-0", "thanos-receive-1", "thanos-receive-2");
    static final List<String> CLUSTERS = List.of("cluster-02", "cluster-03", "cluster-04");
    static final double GI = 1024.0 * 1024 * 1024;

    /** Ends a minute before the last whole minute before {@code now}: fully in the past, on the 30 s grid. */
    static RunbookHistory endingBefore(Instant now) {
        return new RunbookHistory(now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1)));
    }

    Instant start() {
        return end.minus(LENGTH);
    }

    Instant doubling() {
        return end.minus(AFTER_DOUBLING);
    }

    Instant calmInstant() {
        return doubling().minus(Duration.ofMinutes(5));
    }

    boolean doubled(Instant t) {
        return !t.isBefore(doubling());
    }

    OpenMetrics openMetrics() {
        OpenMetrics om = new OpenMetrics();
        Instant s = start();
        om.gauge("kube_statefulset_replicas", Map.of("namespace", "monitoring", "statefulset", "thanos-receive"), s, end, STEP, t -> 3);
        for (String pod : RECEIVERS) {
            Map<String, String> container = Map.of("namespace", "monitoring", "pod", pod, "container", "thanos-receive");
            om.gauge("kube_pod_labels", Map.of("namespace", "monitoring", "pod", pod, "label_app", "thanos-receive"), s, end, STEP, t -> 1);
            om.gauge("kube_pod_container_resource_requests", with(container, "resource", "cpu", "unit", "core"), s, end, STEP, t -> 1);
            om.gauge("kube_pod_container_resource_limits", with(container, "resource", "memory", "unit", "byte"), s, end, STEP, t -> 8 * GI);
            om.counter("container_cpu_usage_seconds_total", container, s, end, STEP, t -> doubled(t) ? 0.95 : 0.55);
            om.gauge("container_memory_working_set_bytes", container, s, end, STEP, t -> 0.6 * 8 * GI);
            String ordinal = pod.substring(pod.lastIndexOf('-') + 1);
            Map<String, String> pvc = Map.of("namespace", "monitoring", "persistentvolumeclaim", "data-thanos-receive-" + ordinal);
            om.gauge("kubelet_volume_stats_capacity_bytes", pvc, s, end, STEP, t -> 100 * GI);
            om.gauge("kubelet_volume_stats_used_bytes", pvc, s, end, STEP, t -> 40 * GI);
            // 100 receive requests/s per pod: 50 under 0.1 s, all but 0.5% under 0.5 s, so p99 ≈ 0.5 s.
            Map<String, Double> cumulative = Map.of("0.1", 50.0, "0.5", 99.5, "1", 100.0, "2", 100.0, "5", 100.0, "+Inf", 100.0);
            cumulative.forEach((le, perSecond) -> om.histogramBucket("http_request_duration_seconds_bucket",
                    Map.of("namespace", "monitoring", "pod", pod, "handler", "receive", "le", le), s, end, STEP, t -> perSecond));
        }
        for (String cluster : CLUSTERS) {
            Map<String, String> agent = Map.of("namespace", "monitoring", "pod", "prometheus-agent-0", "cluster", cluster,
                    "remote_name", "thanos-receive");
            om.counter("prometheus_remote_storage_samples_in_total", agent, s, end, STEP,
                    t -> (doubled(t) ? DOUBLED_SAMPLES : CALM_SAMPLES) / CLUSTERS.size());
            om.gauge("prometheus_remote_storage_samples_pending", agent, s, end, STEP, t -> doubled(t) ? 9000 : 800);
        }
        return om;
    }

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> out = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put(keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
