package io.rwautoscaler.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rwautoscaler.testsupport.OpenMetricsBackfill;
import io.rwautoscaler.testsupport.PrometheusProcess;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A real Prometheus holding a week shaped like the runbook's right-sizing example, cAdvisor and kube-state-metrics
 * series alike, backfilled with promtool, so local mode can size from it without a cluster:
 * <ul>
 *   <li>StatefulSet {@code prometheus-agent}, 2 pods, requests 500m/512Mi, memory limit 1Gi: CPU 0.10–0.18 cores
 *       in a daily wave, working set 140–260Mi. Pod 0 restarts half-way (its CPU counter starts again at 0), pod 1
 *       misses 4 hours of scrapes on day 5 (pod 0's points cover that time, so the merged series has no gap).</li>
 *   <li>StatefulSet {@code thanos-receive}, 5 pods, requests 1 core/2Gi, limits 4/8Gi, an HPA 3..10 at 70 % CPU,
 *       75 % memory and the runbook's queue-length Pods metric: CPU 0.25–0.45 cores (35 % on average), working
 *       set 0.7–0.9Gi (40 %, at most 45 %).</li>
 *   <li>Deployment {@code kube-state-metrics}, 1 pod, no requests at all; its pod was replaced on day 3, and
 *       only the new one is still known to kube-state-metrics; no data for 3 hours on day 6.</li>
 * </ul>
 * Usage is sampled every minute (the 5 m rate needs several samples), kube-state-metrics every 5 minutes in the
 * last hour only: what exists now.
 */
public final class RunbookWeek {

    static final long MI = 1L << 20;
    static final long GI = 1L << 30;
    static final long DAY = 86_400;
    static final int SCRAPE = 60;

    /** The end of the data; runs are evaluated here. */
    public final Instant end;
    public final long samples;
    public final Duration generateTime;
    public final Duration backfillTime;
    public final Duration startTime;
    public final PrometheusProcess prometheus;

    private RunbookWeek(Instant end, long samples, Duration generateTime, Duration backfillTime, Duration startTime,
                        PrometheusProcess prometheus) {
        this.end = end;
        this.samples = samples;
        this.generateTime = generateTime;
        this.backfillTime = backfillTime;
        this.startTime = startTime;
        this.prometheus = prometheus;
    }

    public static RunbookWeek start() {
        long t0 = System.nanoTime();
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        OpenMetricsBackfill data = generate(end.getEpochSecond());
        long t1 = System.nanoTime();
        int port = PrometheusProcess.freePorts(1)[0];
        PrometheusProcess prometheus = new PrometheusProcess("rightsizing-week", PrometheusProcess.Mode.SERVER, port,
                "global:\n  scrape_interval: 1m\nscrape_configs: []\n", "--storage.tsdb.retention.time=30d");
        Duration backfill = data.createBlocks(prometheus.workDir().resolve("data"));
        long t2 = System.nanoTime();
        prometheus.start();
        long t3 = System.nanoTime();
        return new RunbookWeek(end, data.samples(), Duration.ofNanos(t1 - t0), backfill, Duration.ofNanos(t3 - t2),
                prometheus);
    }

    static OpenMetricsBackfill generate(long end) {
        OpenMetricsBackfill d = new OpenMetricsBackfill();
        // A little more than the window, so the first 5 m rate of the window has its samples.
        long start = end - 7 * DAY - 15 * 60;
        for (int pod = 0; pod < 2; pod++) {
            String name = "prometheus-agent-" + pod;
            var cpu = d.counter("container_cpu_usage_seconds_total", labels(name, "prometheus"));
            var memory = d.gauge("container_memory_working_set_bytes", labels(name, "prometheus"));
            long restart = pod == 0 ? end - 7 * DAY / 2 : Long.MAX_VALUE;
            long gapFrom = end - 2 * DAY;
            long gapTo = gapFrom + 4 * 3600;
            double counter = 1234.5; // a pod that started before the window
            for (long t = start; t <= end; t += SCRAPE) {
                double rate = 0.14 + 0.04 * wave(t, 0);
                counter = t >= restart && t - SCRAPE < restart ? rate * SCRAPE : counter + rate * SCRAPE;
                if (pod == 1 && t >= gapFrom && t < gapTo) {
                    continue;
                }
                cpu.add(t, counter);
                memory.add(t, (200 + 60 * wave(t, 0)) * MI);
            }
        }
        for (int pod = 0; pod < 5; pod++) {
            String name = "thanos-receive-" + pod;
            var cpu = d.counter("container_cpu_usage_seconds_total", labels(name, "thanos-receive"));
            var memory = d.gauge("container_memory_working_set_bytes", labels(name, "thanos-receive"));
            double counter = 98_765;
            double phase = pod * 0.7;
            for (long t = start; t <= end; t += SCRAPE) {
                counter += (0.35 + 0.10 * wave(t, phase)) * SCRAPE;
                cpu.add(t, counter);
                memory.add(t, (0.8 + 0.1 * wave(t, phase)) * GI);
            }
        }
        String[] ksmPods = {"kube-state-metrics-5f6a7b8c9d-abcde", "kube-state-metrics-7d4b9c6f5-x2x9z"};
        long replaced = end - 4 * DAY;
        for (String pod : ksmPods) {
            boolean old = pod.equals(ksmPods[0]);
            var cpu = d.counter("container_cpu_usage_seconds_total", labels(pod, "kube-state-metrics"));
            var memory = d.gauge("container_memory_working_set_bytes", labels(pod, "kube-state-metrics"));
            double counter = 0;
            long gapFrom = end - DAY;
            for (long t = old ? start : replaced; t <= (old ? replaced - SCRAPE : end); t += SCRAPE) {
                counter += 0.02 * SCRAPE;
                if (t >= gapFrom && t < gapFrom + 3 * 3600) {
                    continue; // its node was unreachable for 3 hours
                }
                cpu.add(t, counter);
                memory.add(t, 50 * MI + 5 * MI * wave(t, 1));
            }
        }
        kubeStateMetrics(d, end);
        return d;
    }

    /** What exists now, as kube-state-metrics v2 names it, every 5 minutes over the last hour. */
    private static void kubeStateMetrics(OpenMetricsBackfill d, long end) {
        for (long t = end - 3600; t <= end; t += 300) {
            long time = t;
            for (int pod = 0; pod < 2; pod++) {
                podSeries(d, time, "prometheus-agent-" + pod, "StatefulSet", "prometheus-agent", "prometheus");
                resources(d, time, "prometheus-agent-" + pod, "prometheus", "kube_pod_container_resource_requests", 0.5, 512 * MI);
                d.gauge("kube_pod_container_resource_limits", "namespace", "monitoring", "pod", "prometheus-agent-" + pod,
                        "container", "prometheus", "resource", "memory", "unit", "byte").add(time, 1024 * MI);
            }
            for (int pod = 0; pod < 5; pod++) {
                podSeries(d, time, "thanos-receive-" + pod, "StatefulSet", "thanos-receive", "thanos-receive");
                resources(d, time, "thanos-receive-" + pod, "thanos-receive", "kube_pod_container_resource_requests", 1, 2 * GI);
                resources(d, time, "thanos-receive-" + pod, "thanos-receive", "kube_pod_container_resource_limits", 4, 8 * GI);
            }
            podSeries(d, time, "kube-state-metrics-7d4b9c6f5-x2x9z", "ReplicaSet", "kube-state-metrics-7d4b9c6f5", "kube-state-metrics");
            d.gauge("kube_replicaset_owner", "namespace", "monitoring", "replicaset", "kube-state-metrics-7d4b9c6f5",
                    "owner_kind", "Deployment", "owner_name", "kube-state-metrics", "owner_is_controller", "true").add(time, 1);
            d.gauge("kube_deployment_spec_replicas", "namespace", "monitoring", "deployment", "kube-state-metrics").add(time, 1);
            d.gauge("kube_statefulset_replicas", "namespace", "monitoring", "statefulset", "prometheus-agent").add(time, 2);
            d.gauge("kube_statefulset_replicas", "namespace", "monitoring", "statefulset", "thanos-receive").add(time, 5);
            String[] hpa = {"namespace", "monitoring", "horizontalpodautoscaler", "thanos-receive"};
            d.gauge("kube_horizontalpodautoscaler_info", with(hpa, "scaletargetref_api_version", "apps/v1",
                    "scaletargetref_kind", "StatefulSet", "scaletargetref_name", "thanos-receive")).add(time, 1);
            d.gauge("kube_horizontalpodautoscaler_spec_min_replicas", hpa).add(time, 3);
            d.gauge("kube_horizontalpodautoscaler_spec_max_replicas", hpa).add(time, 10);
            d.gauge("kube_horizontalpodautoscaler_spec_target_metric", with(hpa, "metric_name", "cpu",
                    "metric_target_type", "utilization")).add(time, 70);
            d.gauge("kube_horizontalpodautoscaler_spec_target_metric", with(hpa, "metric_name", "memory",
                    "metric_target_type", "utilization")).add(time, 75);
            d.gauge("kube_horizontalpodautoscaler_spec_target_metric", with(hpa, "metric_name",
                    "prometheus_remote_storage_queue_length", "metric_target_type", "average")).add(time, 3000);
        }
    }

    private static void podSeries(OpenMetricsBackfill d, long t, String pod, String ownerKind, String ownerName,
                                  String container) {
        d.gauge("kube_pod_owner", "namespace", "monitoring", "pod", pod, "owner_kind", ownerKind, "owner_name", ownerName,
                "owner_is_controller", "true").add(t, 1);
        d.gauge("kube_pod_container_info", "namespace", "monitoring", "pod", pod, "container", container).add(t, 1);
    }

    private static void resources(OpenMetricsBackfill d, long t, String pod, String container, String metric,
                                  double cores, long bytes) {
        d.gauge(metric, "namespace", "monitoring", "pod", pod, "container", container, "resource", "cpu", "unit", "core")
                .add(t, cores);
        d.gauge(metric, "namespace", "monitoring", "pod", pod, "container", container, "resource", "memory", "unit", "byte")
                .add(t, bytes);
    }

    private static String[] labels(String pod, String container) {
        return new String[]{"namespace", "monitoring", "pod", pod, "container", container,
                "id", "/kubepods/" + pod + "/" + container, "image", "example/" + container};
    }

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    /** A daily wave in [-1, 1]. */
    private static double wave(long t, double phase) {
        return Math.sin(2 * Math.PI * t / DAY + phase);
    }

    /** Starts the week before the app and points the app at it. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {
        private RunbookWeek week;

        @Override
        public Map<String, String> start() {
            week = RunbookWeek.start();
            return Map.of("autoscaler.prometheus.url", week.prometheus.baseUrl());
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(week, new TestInjector.MatchesType(RunbookWeek.class));
        }

        @Override
        public void stop() {
            if (week != null) {
                week.prometheus.stop();
            }
        }
    }
}
