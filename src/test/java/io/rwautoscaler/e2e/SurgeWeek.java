package io.rwautoscaler.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rwautoscaler.testsupport.OpenMetricsBackfill;
import io.rwautoscaler.testsupport.PrometheusProcess;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A week of the runbook's pipeline, backfilled with promtool into a real Prometheus, with exactly the series the
 * default receiver policy (and the runbook's HPA) reads: 3 receivers (requests 1 CPU and 8Gi, memory limit 8Gi, 100Gi
 * volumes) and 3 agents
 * (cluster-02/03/04) sending 8,000 samples/s, kube_statefulset_replicas 3 throughout. On day 5 the traffic doubles
 * for two hours ({@link #surgeStart()}): 16,000 samples/s, receiver CPU 55 % → 95 % of its request, every agent's
 * queue 800 → 9,000. Memory (60 % of the limit and of the request), volumes (40 %) and the receive p99 (0.5 s) stay calm throughout.
 * Sampled every 2 minutes, to keep the backfill small (about 230,000 samples, a few seconds of promtool).
 */
public final class SurgeWeek implements QuarkusTestResourceLifecycleManager {

    static final long STEP = 120;
    static final List<String> RECEIVERS = List.of("thanos-receive-0", "thanos-receive-1", "thanos-receive-2");
    static final List<String> CLUSTERS = List.of("cluster-02", "cluster-03", "cluster-04");
    static final double GI = 1024.0 * 1024 * 1024;
    /**
     * The rule windows (1h at most) and the 5m rate need this much data before the replay's first step; a whole
     * number of 2-minute samples, so samples fall on the hour (where the surge starts).
     */
    static final Duration LEAD = Duration.ofMinutes(80);

    /** Set by {@link #start()} for the test (one instance per test class). */
    static Instant end;
    private PrometheusProcess prometheus;

    static Instant dataStart() {
        return end.minus(Duration.ofDays(7)).minus(LEAD);
    }

    /** The replay's window: the whole week. */
    static Instant from() {
        return end.minus(Duration.ofDays(7));
    }

    static Instant surgeStart() {
        return from().plus(Duration.ofDays(4)).plus(Duration.ofHours(10));
    }

    static Instant surgeEnd() {
        return surgeStart().plus(Duration.ofHours(2));
    }

    private static boolean surge(long t) {
        return t >= surgeStart().getEpochSecond() && t < surgeEnd().getEpochSecond();
    }

    @Override
    public Map<String, String> start() {
        // An hour in the past, on the hour: every point is history, and the 5 m steps fall on it.
        end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        OpenMetricsBackfill d = generate();
        prometheus = new PrometheusProcess("surge-week", PrometheusProcess.Mode.SERVER, PrometheusProcess.freePorts(1)[0],
                "global:\n  scrape_interval: 1h\nscrape_configs: []\n", "--storage.tsdb.retention.time=30d");
        try {
            d.createBlocks(prometheus.workDir().resolve("data"));
            prometheus.start();
        } catch (RuntimeException e) {
            prometheus.stop();
            throw e;
        }
        return Map.of("autoscaler.prometheus.url", prometheus.baseUrl());
    }

    @Override
    public void stop() {
        if (prometheus != null) {
            prometheus.stop();
        }
    }

    static OpenMetricsBackfill generate() {
        OpenMetricsBackfill d = new OpenMetricsBackfill();
        long s = dataStart().getEpochSecond();
        long e = end.getEpochSecond();
        var replicas = d.gauge("kube_statefulset_replicas", "namespace", "monitoring", "statefulset", "thanos-receive");
        for (long t = s; t <= e; t += STEP) {
            replicas.add(t, 3);
        }
        String[] buckets = {"0.1", "0.5", "1", "2", "5", "+Inf"};
        double[] perSecond = {50, 99.5, 100, 100, 100, 100};
        for (String pod : RECEIVERS) {
            String ordinal = pod.substring(pod.lastIndexOf('-') + 1);
            var labels = d.gauge("kube_pod_labels", "namespace", "monitoring", "pod", pod, "label_app", "thanos-receive");
            var requests = d.gauge("kube_pod_container_resource_requests", "namespace", "monitoring", "pod", pod,
                    "container", "thanos-receive", "resource", "cpu", "unit", "core");
            var memoryRequests = d.gauge("kube_pod_container_resource_requests", "namespace", "monitoring", "pod", pod,
                    "container", "thanos-receive", "resource", "memory", "unit", "byte");
            var limits = d.gauge("kube_pod_container_resource_limits", "namespace", "monitoring", "pod", pod,
                    "container", "thanos-receive", "resource", "memory", "unit", "byte");
            var cpu = d.counter("container_cpu_usage_seconds_total", "namespace", "monitoring", "pod", pod,
                    "container", "thanos-receive");
            var memory = d.gauge("container_memory_working_set_bytes", "namespace", "monitoring", "pod", pod,
                    "container", "thanos-receive");
            var capacity = d.gauge("kubelet_volume_stats_capacity_bytes", "namespace", "monitoring",
                    "persistentvolumeclaim", "data-thanos-receive-" + ordinal);
            var used = d.gauge("kubelet_volume_stats_used_bytes", "namespace", "monitoring",
                    "persistentvolumeclaim", "data-thanos-receive-" + ordinal);
            OpenMetricsBackfill.Series[] bucket = new OpenMetricsBackfill.Series[buckets.length];
            for (int b = 0; b < buckets.length; b++) {
                // A gauge family by type (the backfill helper writes counters as *_total only); rate() reads it alike.
                bucket[b] = d.gauge("http_request_duration_seconds_bucket", "namespace", "monitoring", "pod", pod,
                        "handler", "receive", "le", buckets[b]);
            }
            double cpuSeconds = 1000;
            double requestsTotal = 0;
            for (long t = s; t <= e; t += STEP) {
                labels.add(t, 1);
                requests.add(t, 1);
                memoryRequests.add(t, 8 * GI);
                limits.add(t, 8 * GI);
                cpu.add(t, cpuSeconds);
                cpuSeconds += (surge(t) ? 0.95 : 0.55) * STEP;
                memory.add(t, 0.6 * 8 * GI);
                capacity.add(t, 100 * GI);
                used.add(t, 40 * GI);
                for (int b = 0; b < buckets.length; b++) {
                    bucket[b].add(t, requestsTotal * perSecond[b] / 100);
                }
                requestsTotal += 100 * STEP;
            }
        }
        for (String cluster : CLUSTERS) {
            String pod = "prom-agent-" + cluster + "-0";
            var in = d.counter("prometheus_remote_storage_samples_in_total", "namespace", "monitoring", "pod", pod,
                    "cluster", cluster, "remote_name", "thanos-receive", "url", "http://thanos-receive-lb:19291/api/v1/receive");
            var pending = d.gauge("prometheus_remote_storage_samples_pending", "namespace", "monitoring", "pod", pod,
                    "cluster", cluster, "remote_name", "thanos-receive", "url", "http://thanos-receive-lb:19291/api/v1/receive");
            double samples = 0;
            for (long t = s; t <= e; t += STEP) {
                in.add(t, samples);
                samples += (surge(t) ? 16000.0 : 8000.0) / CLUSTERS.size() * STEP;
                pending.add(t, surge(t) ? 9000 : 800);
            }
        }
        return d;
    }
}
