package io.rwautoscaler.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18 item 6: the packaged application serves 100,000 series per rule at the JVM image's heap for the chart's
 * default memory limit (the flags {@code native/run-jvm.sh} gives at 512Mi: a 128 MiB heap, SerialGC, exit on
 * OutOfMemoryError), refresh after refresh; started through {@link PackagedApp} like the other ITs. Before the
 * answers were streamed and the per-series storage shared, the first refreshes ran out of heap and the JVM exited.
 *
 * <p>The Prometheus is a stand-in served over HTTP from this JVM (a real Prometheus would need 100,000 series
 * ingested first, minutes on this machine): every rule's query answers 100,000 queue series (20,000 agent pods in 100
 * namespaces, 5 queues each; ~21 MB of JSON), each timestamp query the pods' scrape times, and {@code up} the pods.
 */
class ServedSeriesAtImageHeapIT {

    static final int PODS = 20_000;
    static final int QUEUES = 5;
    static final int NAMESPACES = 100;
    /** The chart's default memory limit; the launcher gives the heap 25 % of it (128 MiB). */
    static final String CHART_MEMORY_LIMIT = "512Mi";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void servesOneHundredThousandSeriesPerRuleAtTheImageHeap() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        byte[] values = answer(now, false);
        byte[] times = answer(now, true);
        byte[] up = up(now);
        AtomicInteger inventoryQueries = new AtomicInteger();
        HttpServer prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        prometheus.createContext("/api/v1/query", ex -> {
            String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = "";
            for (String kv : form.split("&")) {
                if (kv.startsWith("query=")) {
                    query = URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8).strip();
                }
            }
            byte[] body;
            if (query.equals("up")) {
                inventoryQueries.incrementAndGet(); // the pod inventory: last query of every refresh
                body = up;
            } else {
                body = query.startsWith("timestamp(") ? times : values;
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        prometheus.setExecutor(Executors.newFixedThreadPool(4));
        prometheus.start();
        int port = io.rwautoscaler.testsupport.PrometheusProcess.freePorts(1)[0];
        Path log = Path.of("target", "e2e-logs", "served-series-app.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        List<String> options = new java.util.ArrayList<>(imageFlags());
        assertThat(options).as("the image's heap at the chart's limit").contains("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
        options.addAll(List.of("-Dquarkus.profile=local", "-Dquarkus.grpc.server.port=0", "-Dquarkus.http.port=" + port,
                "-Dautoscaler.prometheus.url=http://127.0.0.1:" + prometheus.getAddress().getPort(),
                "-Dautoscaler.prometheus.timeout=30s",
                // Explicit, so that the case holds whatever the default limit is.
                "-Dautoscaler.metrics.max-series=100000",
                "-Dautoscaler.metrics.refresh=3s", "-Dautoscaler.metrics.max-staleness=10m",
                // Only the metrics APIs' three built-in rules: the loops would ask their own queries.
                "-Dautoscaler.shards.enabled=false", "-Dautoscaler.policy.enabled=false",
                "-Dautoscaler.rightsizing.enabled=false"));
        Process app = PackagedApp.start(options).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        try {
            HttpResponse<String> ready = await(app, base + "/q/health/ready", r -> r.statusCode() == 200
                    && count(r.body(), "fresh, 100000 series") == 3, "ready with 100,000 series for each of the 3 rules", log);
            assertThat(ready.body()).contains("fresh, 100000 series");
            // Several more full refreshes (each holds the served snapshot while it builds the next one).
            int after = inventoryQueries.get();
            await(app, base + "/q/health/ready", r -> inventoryQueries.get() >= after + 4,
                    "4 more refreshes", log);
            HttpResponse<String> still = get(base + "/q/health/ready");
            assertThat(still.statusCode()).as("readiness after the refreshes; app log: %s", log).isEqualTo(200);
            assertThat(count(still.body(), "fresh, 100000 series")).isEqualTo(3);

            // Served from that snapshot: the pod's 5 queues summed (value p*7+q for queue q of pod p).
            HttpResponse<String> r = get(base + "/apis/custom.metrics.k8s.io/v1beta2/namespaces/ns-7/pods/*/"
                    + "prometheus_remote_storage_queue_length?labelSelector=pod%3Dprometheus-agent-7");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode items = new ObjectMapper().readTree(r.body()).get("items");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).get("describedObject").get("name").asText()).isEqualTo("prometheus-agent-7");
            assertThat(items.get(0).get("value").asText()).isEqualTo(String.valueOf(35 * 7 + 10));
            assertThat(app.isAlive()).as("the app is still running; log: %s", log).isTrue();
        } finally {
            app.destroy();
            if (!app.waitFor(10, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            prometheus.stop(0);
        }
    }

    /** 100,000 queue series; with {@code times}, what the timestamp queries answer (pods scraped in 15 slots). */
    static byte[] answer(long now, boolean times) {
        StringBuilder b = new StringBuilder(24 * 1024 * 1024).append("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        for (int p = 0; p < PODS; p++) {
            for (int q = 0; q < QUEUES; q++) {
                if (p + q > 0) {
                    b.append(',');
                }
                b.append("{\"metric\":{\"job\":\"prometheus-agent\",\"namespace\":\"ns-").append(p % NAMESPACES)
                        .append("\",\"pod\":\"prometheus-agent-").append(p).append("\",\"remote_name\":\"q").append(q)
                        .append("\",\"url\":\"http://thanos-receive-lb:19291/api/v1/receive\"},\"value\":[")
                        .append(now).append(",\"").append(times ? now - p % 15 : p * 7L + q).append("\"]}");
            }
        }
        return b.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] up(long now) {
        StringBuilder b = new StringBuilder(4 * 1024 * 1024).append("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        for (int p = 0; p < PODS; p++) {
            if (p > 0) {
                b.append(',');
            }
            b.append("{\"metric\":{\"__name__\":\"up\",\"app\":\"prometheus-agent\",\"job\":\"prometheus-agent\",\"namespace\":\"ns-")
                    .append(p % NAMESPACES).append("\",\"pod\":\"prometheus-agent-").append(p).append("\"},\"value\":[")
                    .append(now).append(",\"1\"]}");
        }
        return b.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The JVM flags of the image at the chart's memory limit, from {@code native/run-jvm.sh flags} (the one source of
     * them) for the JVM running this test; passed explicitly, so that the plain {@code java -jar} start uses them too.
     */
    static List<String> imageFlags() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("native", "run-jvm.sh").toAbsolutePath().toString(), "flags");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("APP_DIR", jar.getParent().toString());
        pb.environment().put("MEMORY_LIMIT", CHART_MEMORY_LIMIT);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("native/run-jvm.sh flags: %s", out).isZero();
        return out.lines().map(String::strip).filter(l -> l.startsWith("-")).toList();
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code url} until {@code done}; fails at once when the app exits (an OutOfMemoryError exits it). */
    private static HttpResponse<String> await(Process app, String url,
                                              java.util.function.Predicate<HttpResponse<String>> done, String what,
                                              Path log) throws Exception {
        HttpResponse<String> last = null;
        while (true) {
            assertThat(app.isAlive()).as("the app is still running while waiting for %s (exit code %s); log: %s",
                    what, app.isAlive() ? "-" : app.exitValue(), log).isTrue();
            try {
                last = get(url);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(200); // polling interval; the test's @Timeout bounds the whole case
        }
    }
}
