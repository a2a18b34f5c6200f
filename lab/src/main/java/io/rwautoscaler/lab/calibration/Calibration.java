package io.rwautoscaler.lab.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwautoscaler.lab.CoreHpa;
import io.rwautoscaler.lab.LabRunner;
import io.rwautoscaler.lab.LoadCurve;
import io.rwautoscaler.lab.Scenario;
import io.rwautoscaler.lab.ScenarioException;
import io.rwautoscaler.lab.ScenarioReader;
import io.rwautoscaler.lab.Simulation;
import io.rwautoscaler.lab.Strategy;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code lab/calibrate.sh [--out DIR] [--model-only] [scenario.yaml]}: the calibration of issue 16, item 5. Real
 * Prometheus agents scrape a load source that follows the scenario's load curve and remote-write through a
 * {@link ThrottlingProxy} (capacity = replicas × samplesPerSecondPerReplica, latency = sendLatencySeconds) to a
 * real receiving Prometheus, which also scrapes the agents' own metrics every second; then the lab runs the same
 * scenario ({@code hpa-queue} with the receivers held by minReplicas = maxReplicas) and the two are compared in
 * {@code calibration.md}, {@code calibration.png} and the CSVs. A benchmark: wall-clock time is the scenario's
 * duration plus start-up; not run by the tests.
 */
public final class Calibration {

    /** The agents scrape the load source this often: the load's samples/s × this = series per agent. */
    static final Duration AGENT_SCRAPE = Duration.ofSeconds(1);
    static final Path DEFAULT_SCENARIO = Path.of("lab/calibration/step.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Calibration() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of("lab/results");
        Path file = DEFAULT_SCENARIO;
        boolean modelOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--model-only" -> modelOnly = true;
                default -> {
                    if (args[i].startsWith("-")) {
                        fail("unknown option " + args[i] + "; usage: lab/calibrate.sh [--out DIR] [--model-only] [scenario.yaml]");
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        Scenario s;
        try {
            s = ScenarioReader.read(file);
        } catch (ScenarioException e) {
            fail(e.getMessage());
            return;
        }
        Files.createDirectories(out);
        Trace real;
        Path realCsv = out.resolve("calibration-real.csv");
        String conditions;
        if (modelOnly) {
            if (!Files.exists(realCsv)) {
                fail("--model-only needs " + realCsv + " from an earlier run");
            }
            real = CalibrationReport.readCsv("real", Files.readString(realCsv));
            conditions = Files.exists(out.resolve("calibration-conditions.txt"))
                    ? Files.readString(out.resolve("calibration-conditions.txt")).strip() : "(not recorded)";
        } else {
            String loadBefore = loadAverage();
            long started = System.nanoTime();
            real = runReal(s);
            conditions = String.format(Locale.ROOT, "load average before: %s; after: %s; %d CPUs; wall time %.0f s; %s",
                    loadBefore, loadAverage(), Runtime.getRuntime().availableProcessors(),
                    (System.nanoTime() - started) / 1e9, prometheusVersion());
            Files.writeString(realCsv, real.csv() + "# lost " + real.lost() + "\n");
            Files.writeString(out.resolve("calibration-real-agents.csv"), perAgent.toString());
            Files.writeString(out.resolve("calibration-conditions.txt"), conditions + "\n");
        }
        Trace model = runModel(s);
        Files.writeString(out.resolve("calibration-model.csv"), model.csv() + "# lost " + model.lost() + "\n");
        CalibrationReport.write(out, file, s, real, model, conditions);
        System.out.println(Files.readString(out.resolve("calibration.md")).lines()
                .dropWhile(l -> !l.startsWith("| quantity")).takeWhile(l -> l.startsWith("|")).reduce("", (a, b) -> a + b + "\n"));
        System.out.println("written: " + out.resolve("calibration.md"));
    }

    /** The lab's side: the scenario as {@code hpa-queue}, recorded every second. */
    static Trace runModel(Scenario s) {
        Simulation.Run run = new Simulation(s, LabRunner.settings(s, Strategy.HPA_QUEUE), CoreHpa::new)
                .recordingEvery(1).run();
        int n = (int) s.duration().toSeconds();
        Trace tr = Trace.empty("model", n);
        int agents = s.agents().count();
        for (Simulation.Point p : run.points()) {
            int t = (int) Math.round(p.t());
            if (t < 0 || t > n) {
                continue;
            }
            tr.load()[t] = p.load();
            tr.pendingMax()[t] = p.pendingMax();
            tr.lagMax()[t] = p.lag();
            tr.shards()[t] = (double) p.shards() / agents;
            tr.desired()[t] = p.desiredShards() / agents;
            tr.storedPerSecond()[t] = p.storedPerSecond();
            tr.pendingMean()[t] = p.pending() / agents;
            tr.lagMean()[t] = p.lagMean();
            tr.refusedPerSecond()[t] = p.refusedPerSecond();
        }
        return tr.withLost(run.lost());
    }

    /** Samples Prometheus adds to every scrape of a target (up, scrape_duration_seconds, scrape_samples_scraped, ...). */
    static final int SYNTHETIC_PER_SCRAPE = 5;

    static int seriesPerAgent(Scenario s, double t) {
        return (int) Math.max(0, Math.round(s.load().at(t) / s.agents().count() * AGENT_SCRAPE.toSeconds())
                - SYNTHETIC_PER_SCRAPE * LoadSource.TARGETS);
    }

    /** The real side: processes on loopback for the scenario's duration. */
    static Trace runReal(Scenario s) throws Exception {
        int agents = s.agents().count();
        Scenario.QueueSettings q = s.agents().queueConfig();
        double capacity = s.receivers().replicas() * s.receivers().samplesPerSecondPerReplica();
        int maxSeries = (int) Math.ceil(s.load().points().stream().mapToDouble(LoadCurve.Point::samplesPerSecond).max()
                .orElse(0) / agents * AGENT_SCRAPE.toSeconds()) + 1;
        Path dir = Files.createTempDirectory("rwa-calibration");
        List<PrometheusProcess> procs = new ArrayList<>();
        int[] agentPorts = new int[agents];
        for (int i = 0; i < agents; i++) {
            agentPorts[i] = PrometheusProcess.freePort();
        }
        int receiverPort = PrometheusProcess.freePort();
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < agents; i++) {
            targets.append("      - targets: ['127.0.0.1:").append(agentPorts[i]).append("']\n")
                    .append("        labels: {agent: a").append(i).append("}\n");
        }
        String receiverConfig = "global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
                + "scrape_configs:\n  - job_name: agents\n    static_configs:\n" + targets;
        Trace tr = Trace.empty("real", (int) s.duration().toSeconds());
        long t0;
        double wallT0;
        long[] accepted = new long[tr.seconds() + 1];
        long[] refused = new long[tr.seconds() + 1];
        double lost;
        try (LoadSource load = new LoadSource(sec -> seriesPerAgent(s, sec), maxSeries)) {
            PrometheusProcess receiver = PrometheusProcess.start("receiver", dir, receiverPort, receiverConfig, false, List.of());
            procs.add(receiver);
            receiver.awaitReady(Duration.ofSeconds(30));
            try (ThrottlingProxy proxy = new ThrottlingProxy(URI.create(receiver.url() + "/api/v1/write"), capacity,
                    s.receivers().sendLatency(), 503)) {
                for (int i = 0; i < agents; i++) {
                    String config = "global: {scrape_interval: " + AGENT_SCRAPE.toSeconds() + "s, scrape_timeout: "
                            + AGENT_SCRAPE.toSeconds() + "s, external_labels: {agent: a" + i + "}}\n"
                            + "scrape_configs:\n" + loadJobs(load.port())
                            + "remote_write:\n  - url: http://127.0.0.1:" + proxy.port() + "/api/v1/write\n"
                            + "    name: calib\n"
                            + "    queue_config: {min_shards: " + q.minShards() + ", max_shards: " + q.maxShards()
                            + ", capacity: " + q.capacity() + ", max_samples_per_send: " + q.maxSamplesPerSend()
                            + ", batch_send_deadline: " + millis(q.batchSendDeadline()) + ", min_backoff: "
                            + millis(q.minBackoff()) + ", max_backoff: " + millis(q.maxBackoff()) + "}\n"
                            + "    metadata_config: {send: false}\n";
                    PrometheusProcess a = PrometheusProcess.start("agent-" + i, dir, agentPorts[i], config, true,
                            List.of("--storage.remote.flush-deadline=" + millis(q.flushDeadline())));
                    procs.add(a);
                }
                for (PrometheusProcess p : procs) {
                    p.awaitReady(Duration.ofSeconds(30));
                }
                t0 = System.nanoTime();
                wallT0 = System.currentTimeMillis() / 1000.0;
                load.start(t0);
                System.out.printf("calibration: %d agents, load %s, proxy %.0f samples/s, %s s; started%n", agents,
                        s.load().points(), capacity, s.duration().toSeconds());
                for (int t = 0; t <= tr.seconds(); t++) {
                    long due = t0 + t * 1_000_000_000L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    accepted[t] = proxy.acceptedSamples.get();
                    refused[t] = proxy.refusedSamples.get();
                    if (t % 30 == 0) {
                        System.out.printf("  t=%3d s  proxy accepted %,d refused %,d samples%n", t, accepted[t], refused[t]);
                    }
                }
                Thread.sleep(3000); // the receiver's last scrapes of the agents
                lost = collect(receiver, tr, wallT0);
            }
        } finally {
            for (PrometheusProcess p : procs) {
                p.close();
            }
            deleteTree(dir);
        }
        for (int t = 0; t <= tr.seconds(); t++) {
            tr.load()[t] = s.load().at(t);
            int from = Math.max(0, t - 5);
            tr.storedPerSecond()[t] = t == 0 ? Double.NaN : (accepted[t] - accepted[from]) / (double) (t - from);
            tr.refusedPerSecond()[t] = t == 0 ? Double.NaN : (refused[t] - refused[from]) / (double) (t - from);
        }
        return tr.withLost(lost);
    }

    /** One job per load target (Prometheus spreads the targets' scrapes over the interval). */
    private static String loadJobs(int port) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < LoadSource.TARGETS; k++) {
            b.append("  - job_name: load-").append(k).append("\n    metrics_path: /metrics/").append(k)
                    .append("\n    static_configs: [{targets: ['127.0.0.1:").append(port).append("']}]\n");
        }
        return b.toString();
    }

    /** Reads the agents' own metrics back from the receiver, which scraped them every second. */
    private static double collect(PrometheusProcess receiver, Trace tr, double wallT0) throws Exception {
        fill(receiver, "max(prometheus_remote_storage_samples_pending)", tr.pendingMax(), wallT0, 1);
        fill(receiver, "max(max by (agent) (prometheus_remote_storage_highest_timestamp_in_seconds)"
                + " - max by (agent) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds > 0))",
                tr.lagMax(), wallT0, 1);
        fill(receiver, "avg(prometheus_remote_storage_samples_pending)", tr.pendingMean(), wallT0, 1);
        fill(receiver, "avg(max by (agent) (prometheus_remote_storage_highest_timestamp_in_seconds)"
                + " - max by (agent) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds > 0))",
                tr.lagMean(), wallT0, 1);
        fill(receiver, "avg(prometheus_remote_storage_shards)", tr.shards(), wallT0, 1);
        fill(receiver, "avg(prometheus_remote_storage_shards_desired)", tr.desired(), wallT0, 1);
        perAgent = new StringBuilder("seconds,agent,pending,lag_seconds,shards,desired_shards\n");
        java.util.Map<String, double[][]> byAgent = new java.util.TreeMap<>();
        String[] queries = {"prometheus_remote_storage_samples_pending",
                "max by (agent) (prometheus_remote_storage_highest_timestamp_in_seconds) - max by (agent) "
                        + "(prometheus_remote_storage_queue_highest_sent_timestamp_seconds > 0)",
                "prometheus_remote_storage_shards", "prometheus_remote_storage_shards_desired"};
        for (int q = 0; q < queries.length; q++) {
            for (var e : fillByAgent(receiver, queries[q], tr.seconds() + 1, wallT0).entrySet()) {
                byAgent.computeIfAbsent(e.getKey(), k -> new double[queries.length][])[q] = e.getValue();
            }
        }
        for (int t = 0; t <= tr.seconds(); t++) {
            for (var e : byAgent.entrySet()) {
                perAgent.append(t).append(',').append(e.getKey());
                for (double[] col : e.getValue()) {
                    perAgent.append(',').append(col == null || Double.isNaN(col[t]) ? "" : String.valueOf(col[t]));
                }
                perAgent.append('\n');
            }
        }
        double[] lost = new double[tr.seconds() + 1];
        fill(receiver, "sum(prometheus_remote_storage_samples_failed_total)", lost, wallT0, 1);
        double last = 0;
        for (double v : lost) {
            if (!Double.isNaN(v)) {
                last = v;
            }
        }
        return last;
    }

    /** The per-agent series of the last real run, as CSV (each agent's pending, lag, shards, desired shards). */
    static StringBuilder perAgent = new StringBuilder();

    private static java.util.Map<String, double[]> fillByAgent(PrometheusProcess receiver, String promql, int n,
                                                               double wallT0) throws Exception {
        java.util.Map<String, double[]> out = new java.util.TreeMap<>();
        for (JsonNode series : rangeQuery(receiver, promql, wallT0, n).path("data").path("result")) {
            double[] a = new double[n];
            java.util.Arrays.fill(a, Double.NaN);
            for (JsonNode v : series.path("values")) {
                int t = (int) Math.round(v.get(0).asDouble() - wallT0);
                if (t >= 0 && t < n) {
                    a[t] = Double.parseDouble(v.get(1).asText());
                }
            }
            out.put(series.path("metric").path("agent").asText("?"), a);
        }
        return out;
    }

    private static JsonNode rangeQuery(PrometheusProcess receiver, String promql, double wallT0, int n) throws Exception {
        String url = receiver.url() + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + wallT0 + "&end=" + (wallT0 + n - 1) + "&step=1";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode root = JSON.readTree(r.body());
        if (!"success".equals(root.path("status").asText())) {
            throw new IOException(promql + ": " + r.body());
        }
        return root;
    }

    private static void fill(PrometheusProcess receiver, String promql, double[] into, double wallT0, int step)
            throws Exception {
        java.util.Arrays.fill(into, Double.NaN);
        String url = receiver.url() + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + wallT0 + "&end=" + (wallT0 + into.length - 1) + "&step=" + step;
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode root = JSON.readTree(r.body());
        if (!"success".equals(root.path("status").asText())) {
            throw new IOException(promql + ": " + r.body());
        }
        for (JsonNode series : root.path("data").path("result")) {
            for (JsonNode v : series.path("values")) {
                int t = (int) Math.round(v.get(0).asDouble() - wallT0);
                if (t >= 0 && t < into.length) {
                    into[t] = Double.parseDouble(v.get(1).asText());
                }
            }
        }
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String prometheusVersion() {
        try {
            Process p = new ProcessBuilder("prometheus", "--version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            p.waitFor();
            return first.strip();
        } catch (IOException | InterruptedException e) {
            return "prometheus (version unknown)";
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    private static void fail(String message) {
        System.err.println("calibrate: " + message);
        System.exit(2);
    }
}
