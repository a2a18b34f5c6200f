package io.rwautoscaler.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the replay benchmark's history as OpenMetrics for {@code promtool tsdb create-blocks-from openmetrics}: a
 * fleet of 100 agents × 4 remote-write queues with every series the shard tuner reads (15 per queue, one per agent
 * pod), and 3 receivers with the series the default receiver policy reads, over 7 days before {@code END} plus the
 * lead the rule windows need, and {@code shards_desired} for the 7 days before that (the tuner's p99 history). Daily
 * wave; on day 5 a two-hour surge (traffic doubles, receiver CPU 95 %, queues 9,000).
 *
 * <pre>java -cp benchmarks.jar io.rwautoscaler.bench.ReplayWeekFiles FILE END_EPOCH_S QUEUE_STEP_S RECEIVER_STEP_S</pre>
 *
 * Queue series are sampled every {@code QUEUE_STEP_S} (the benchmark uses 15 minutes, with Prometheus'
 * {@code --query.lookback-delta} and the tuner's rate window widened to match, to keep the text and promtool's work
 * small on 2 cores); receiver series every {@code RECEIVER_STEP_S}.
 */
public final class ReplayWeekFiles {

    static final int AGENTS = 100;
    static final int QUEUES = 4;
    static final long DAY = 86_400;
    static final long LEAD = 80 * 60;

    private ReplayWeekFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ReplayWeekFiles FILE END_EPOCH_S QUEUE_STEP_S RECEIVER_STEP_S");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        long end = Long.parseLong(args[1]);
        long queueStep = Long.parseLong(args[2]);
        long receiverStep = Long.parseLong(args[3]);
        long from = end - 7 * DAY;
        long surge = from + 4 * DAY + 10 * 3600;
        long samples = write(file, from - LEAD, end, from - 7 * DAY - LEAD, queueStep, receiverStep, surge);
        System.out.printf("wrote %d samples (%d queues, 3 receivers) to %s%n", samples, AGENTS * QUEUES, file);
    }

    record Series(String name, String labels) {
    }

    static long write(Path file, long start, long end, long historyStart, long queueStep, long receiverStep, long surge)
            throws IOException {
        long n = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            // One family at a time (OpenMetrics keeps a family's samples together), each series in time order.
            String[] gauges = {"prometheus_remote_storage_samples_pending", "prometheus_remote_storage_queue_highest_timestamp_seconds",
                    "prometheus_remote_storage_queue_highest_sent_timestamp_seconds", "prometheus_remote_storage_shards",
                    "prometheus_remote_storage_shards_desired", "prometheus_remote_storage_shards_max",
                    "prometheus_remote_storage_shards_min", "prometheus_remote_storage_shard_capacity",
                    "prometheus_remote_storage_max_samples_per_send"};
            String[] counters = {"prometheus_remote_storage_samples_in", "prometheus_remote_storage_samples",
                    "prometheus_remote_storage_samples_retried", "prometheus_remote_storage_samples_failed",
                    "prometheus_remote_storage_sent_batch_duration_seconds_sum",
                    "prometheus_remote_storage_sent_batch_duration_seconds_count"};
            for (String g : gauges) {
                w.write("# TYPE " + g + " gauge\n");
                long first = g.endsWith("shards_desired") ? historyStart : start;
                for (int a = 0; a < AGENTS; a++) {
                    for (int q = 0; q < QUEUES; q++) {
                        String series = g + queueLabels(a, q);
                        for (long t = first; t <= end; t += queueStep) {
                            w.write(series + " " + fmt(gauge(g, a, q, t, surge)) + " " + t + "\n");
                            n++;
                        }
                    }
                }
            }
            for (String c : counters) {
                boolean total = !c.endsWith("_sum") && !c.endsWith("_count");
                // _sum/_count are written as gauges: promtool wants a histogram/summary family for them otherwise.
                w.write("# TYPE " + c + (total ? " counter" : " gauge") + "\n");
                for (int a = 0; a < AGENTS; a++) {
                    for (int q = 0; q < QUEUES; q++) {
                        String series = c + (total ? "_total" : "") + queueLabels(a, q);
                        double value = 1_000_000;
                        for (long t = start; t <= end; t += queueStep) {
                            w.write(series + " " + fmt(value) + " " + t + "\n");
                            n++;
                            value += rate(c, a, q, t, surge) * queueStep;
                        }
                    }
                }
            }
            w.write("# TYPE prometheus_remote_storage_highest_timestamp_in_seconds gauge\n");
            for (int a = 0; a < AGENTS; a++) {
                String series = "prometheus_remote_storage_highest_timestamp_in_seconds{namespace=\"monitoring\",pod=\"" + pod(a) + "\"}";
                for (long t = start; t <= end; t += queueStep) {
                    w.write(series + " " + t + " " + t + "\n");
                    n++;
                }
            }
            n += receivers(w, start, end, receiverStep, surge);
            w.write("# EOF\n");
        }
        return n;
    }

    private static long receivers(BufferedWriter w, long start, long end, long step, long surge) throws IOException {
        long n = 0;
        List<String> pods = List.of("thanos-receive-0", "thanos-receive-1", "thanos-receive-2");
        n += family(w, "kube_statefulset_replicas", "gauge",
                List.of("{namespace=\"monitoring\",statefulset=\"thanos-receive\"}"), start, end, step, (s, t) -> 3.0);
        List<String> podLabels = new ArrayList<>();
        List<String> cpuRequests = new ArrayList<>();
        List<String> memoryRequests = new ArrayList<>();
        List<String> memoryLimits = new ArrayList<>();
        List<String> containers = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        for (String p : pods) {
            String base = "namespace=\"monitoring\",pod=\"" + p + "\"";
            podLabels.add("{" + base + ",label_app=\"thanos-receive\"}");
            cpuRequests.add("{" + base + ",container=\"thanos-receive\",resource=\"cpu\",unit=\"core\"}");
            memoryRequests.add("{" + base + ",container=\"thanos-receive\",resource=\"memory\",unit=\"byte\"}");
            memoryLimits.add("{" + base + ",container=\"thanos-receive\",resource=\"memory\",unit=\"byte\"}");
            containers.add("{" + base + ",container=\"thanos-receive\"}");
            volumes.add("{namespace=\"monitoring\",persistentvolumeclaim=\"data-" + p + "\"}");
        }
        double gi = 1024.0 * 1024 * 1024;
        n += family(w, "kube_pod_labels", "gauge", podLabels, start, end, step, (s, t) -> 1.0);
        List<String> requests = new ArrayList<>(cpuRequests);
        requests.addAll(memoryRequests);
        n += family(w, "kube_pod_container_resource_requests", "gauge", requests, start, end, step,
                (s, t) -> s.contains("cpu") ? 1.0 : 8 * gi);
        n += family(w, "kube_pod_container_resource_limits", "gauge", memoryLimits, start, end, step, (s, t) -> 8 * gi);
        n += family(w, "container_memory_working_set_bytes", "gauge", containers, start, end, step,
                (s, t) -> (0.6 + 0.05 * wave(t)) * 8 * gi);
        n += family(w, "kubelet_volume_stats_capacity_bytes", "gauge", volumes, start, end, step, (s, t) -> 100 * gi);
        n += family(w, "kubelet_volume_stats_used_bytes", "gauge", volumes, start, end, step, (s, t) -> 40 * gi);
        // counters: CPU seconds and the receive handler's histogram (as gauges, rate() reads them alike)
        w.write("# TYPE container_cpu_usage_seconds counter\n");
        for (String c : containers) {
            double v = 1000;
            for (long t = start; t <= end; t += step) {
                w.write("container_cpu_usage_seconds_total" + c + " " + fmt(v) + " " + t + "\n");
                n++;
                v += (surging(t, surge) ? 0.95 : 0.55 + 0.1 * wave(t)) * step;
            }
        }
        String[] le = {"0.1", "0.5", "1", "2", "5", "+Inf"};
        double[] share = {0.5, 0.995, 1, 1, 1, 1};
        w.write("# TYPE http_request_duration_seconds_bucket gauge\n");
        for (String p : pods) {
            for (int b = 0; b < le.length; b++) {
                String series = "http_request_duration_seconds_bucket{namespace=\"monitoring\",pod=\"" + p
                        + "\",handler=\"receive\",le=\"" + le[b] + "\"}";
                double v = 0;
                for (long t = start; t <= end; t += step) {
                    w.write(series + " " + fmt(v) + " " + t + "\n");
                    n++;
                    v += 100 * share[b] * step;
                }
            }
        }
        return n;
    }

    interface Value {
        double at(String series, long t);
    }

    private static long family(BufferedWriter w, String name, String type, List<String> series, long start, long end,
                               long step, Value value) throws IOException {
        long n = 0;
        w.write("# TYPE " + name + " " + type + "\n");
        for (String s : series) {
            for (long t = start; t <= end; t += step) {
                w.write(name + s + " " + fmt(value.at(s, t)) + " " + t + "\n");
                n++;
            }
        }
        return n;
    }

    static String pod(int agent) {
        return "prom-agent-" + agent + "-0";
    }

    static String queueLabels(int a, int q) {
        return "{namespace=\"monitoring\",pod=\"" + pod(a) + "\",remote_name=\"queue-" + q
                + "\",url=\"http://thanos-receive-" + q + ":19291/api/v1/receive\"}";
    }

    static double wave(long t) {
        return Math.sin(2 * Math.PI * (t % DAY) / DAY);
    }

    static boolean surging(long t, long surge) {
        return t >= surge && t < surge + 7200;
    }

    static double gauge(String name, int a, int q, long t, long surge) {
        boolean s = surging(t, surge);
        double desired = s ? 80 : 10 + (a + q) % 7 + 3 * wave(t);
        return switch (name.substring("prometheus_remote_storage_".length())) {
            case "samples_pending" -> s ? 9000 : (a * 7 + q) % 5 == 0 ? 0 : 300;
            case "queue_highest_timestamp_seconds" -> t;
            case "queue_highest_sent_timestamp_seconds" -> t - (s ? 90 : 5);
            case "shards" -> Math.min(Math.round(desired), 50);
            case "shards_desired" -> Math.round(desired * 10) / 10.0;
            case "shards_max" -> 50;
            case "shards_min" -> 10;
            case "shard_capacity" -> 20000;
            case "max_samples_per_send" -> 2000;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static double rate(String name, int a, int q, long t, long surge) {
        double in = (surging(t, surge) ? 40 : 20) * (1 + 0.2 * wave(t));
        return switch (name.substring("prometheus_remote_storage_".length())) {
            case "samples_in", "samples" -> in;
            case "samples_retried", "samples_failed" -> 0;
            case "sent_batch_duration_seconds_sum" -> 0.05 * in / 2000;
            case "sent_batch_duration_seconds_count" -> in / 2000;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
