package io.rwautoscaler.prometheus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rwautoscaler.config.PrometheusConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client against small loopback HTTP servers that misbehave on purpose (5xx, HTML, slowness, warnings):
 * the faults a real Prometheus cannot be made to produce on demand.
 */
class PrometheusClientTest {

    final List<HttpServer> servers = new ArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Held by the "slow" server until the test ends: its answer never comes, whatever the machine's load. */
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    /** Long enough that a loopback answer never misses it on a loaded machine; only the hanging server times out. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    static final String VECTOR = """
            {"status":"success","data":{"resultType":"vector","result":[
             {"metric":{"__name__":"prometheus_remote_storage_samples_pending","pod":"a"},"value":[1764072000.5,"12"]},
             {"metric":{"pod":"b"},"value":[1764072000,"NaN"]},
             {"metric":{"pod":"c"},"value":[1764072000,"+Inf"]}]}}""";

    @AfterEach
    void stop() {
        release.countDown();
        servers.forEach(s -> s.stop(0));
    }

    URI serve(int status, String contentType, String body) throws IOException {
        return serve(status, contentType, body, false);
    }

    URI serve(int status, String contentType, String body, boolean hang) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.add(ex.getRequestURI().getPath() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            if (hang) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", contentType);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static URI closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    PrometheusClient client(List<URI> urls, PrometheusConfig.Flavor flavor, Optional<Path> token) {
        return client(urls, flavor, token, PrometheusClient.DEFAULT_MAX_SERIES);
    }

    PrometheusClient client(List<URI> urls, PrometheusConfig.Flavor flavor, Optional<Path> token, int maxSeries) {
        return new PrometheusClient(new PrometheusConfig() {
            public List<URI> url() { return urls; }
            public Duration timeout() { return TIMEOUT; }
            public Optional<Path> bearerTokenFile() { return token; }
            public Optional<Path> caFile() { return Optional.empty(); }
            public Flavor flavor() { return flavor; }
            public boolean dedup() { return true; }
            public boolean partialResponse() { return false; }
            public long maxResponseBytes() { return 64L << 20; }
        }, new ObjectMapper(), registry, maxSeries);
    }

    @Test
    void parsesVectorsKeepingSampleTimeAndNonFiniteValuesForTheCallerToCount() throws IOException {
        var r = client(List.of(serve(200, "application/json", VECTOR)), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty())
                .query("prometheus_remote_storage_samples_pending");
        assertThat(r.vector()).hasSize(3);
        assertThat(r.vector().get(0).labels()).doesNotContainKey("__name__").containsEntry("pod", "a");
        assertThat(r.vector().get(0).timestamp()).isEqualTo(Instant.parse("2025-11-25T12:00:00.500Z"));
        assertThat(r.vector().get(1).value()).isNaN();
        assertThat(r.vector().get(2).value()).isInfinite();
        assertThat(requests.get(0)).startsWith("/api/v1/query query=prometheus_remote_storage_samples_pending");
    }

    @Test
    void plainHttpUrlsBuildNoTlsContextAndStillQuery() throws IOException {
        PrometheusClient c = client(List.of(serve(200, "application/json", VECTOR)), PrometheusConfig.Flavor.PROMETHEUS,
                Optional.empty());
        // No JCA/JSSE at start-up for plain http: the client holds the context that refuses TLS, not a real one.
        assertThat(c.tlsContext()).isInstanceOf(PlainHttpOnly.class);
        assertThat(c.tlsContext().getProtocol()).isEqualTo(PlainHttpOnly.PROTOCOL);
        assertThat(c.query("up").vector()).hasSize(3);
        assertThatThrownBy(() -> c.tlsContext().createSSLEngine()).hasMessageContaining("plain http URLs only");
    }

    @Test
    void anHttpsUrlGetsARealTlsContext() {
        PrometheusClient c = client(List.of(URI.create("http://127.0.0.1:1"), URI.create("https://127.0.0.1:2")),
                PrometheusConfig.Flavor.PROMETHEUS, Optional.empty());
        assertThat(c.tlsContext()).isNotInstanceOf(PlainHttpOnly.class);
        assertThat(c.tlsContext().getProtocol()).isNotEqualTo(PlainHttpOnly.PROTOCOL);
    }

    @Test
    void triesTheNextUrlOnConnectionErrors5xxAndTimeouts() throws IOException {
        URI down = closedPort();
        URI html500 = serve(500, "text/html", "<html>oops</html>");
        URI slow = serve(200, "application/json", VECTOR, true);
        URI good = serve(200, "application/json", VECTOR);
        var r = client(List.of(down, html500, slow, good), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty()).query("up");
        assertThat(r.servedBy().toString()).startsWith(good.toString());
        assertThat(registry.counter("rwa_prometheus_requests", "url", down.toString(), "outcome", "unreachable").count()).isEqualTo(1);
        assertThat(registry.counter("rwa_prometheus_requests", "url", html500.toString(), "outcome", "server_error").count()).isEqualTo(1);
        assertThat(registry.counter("rwa_prometheus_requests", "url", slow.toString(), "outcome", "timeout").count()).isEqualTo(1);
    }

    @Test
    void aBadQueryFailsAtOnceWithPrometheusOwnMessage() throws IOException {
        URI bad = serve(400, "application/json",
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error: unexpected }\"}");
        URI never = serve(200, "application/json", VECTOR);
        assertThatThrownBy(() -> client(List.of(bad, never), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty()).query("up{"))
                .isInstanceOfSatisfying(PrometheusException.class, e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.BAD_QUERY))
                .hasMessageContaining("parse error: unexpected }");
        assertThat(requests).hasSize(1);
    }

    @Test
    void allUrlsFailingReportsTheLastCause() throws IOException {
        URI a = closedPort();
        URI b = serve(503, "application/json", "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}");
        assertThatThrownBy(() -> client(List.of(a, b), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty()).query("up"))
                .isInstanceOf(PrometheusException.class).hasMessageContaining("TSDB not ready");
    }

    @Test
    void warningsAreCountedNotDropped() throws IOException {
        String body = VECTOR.replace("{\"status\":\"success\",", "{\"status\":\"success\",\"warnings\":[\"partial response: store 1 down\"],");
        var r = client(List.of(serve(200, "application/json", body)), PrometheusConfig.Flavor.THANOS, Optional.empty()).query("up");
        assertThat(r.warnings()).containsExactly("partial response: store 1 down");
        assertThat(registry.counter("rwa_prometheus_query_warnings").count()).isEqualTo(1);
    }

    @Test
    void thanosGetsDedupAndPartialResponseAndTheBearerTokenIsSent() throws IOException {
        Path token = Files.createTempFile("token", "");
        Files.writeString(token, "s3cret\n");
        client(List.of(serve(200, "application/json", VECTOR)), PrometheusConfig.Flavor.THANOS, Optional.of(token)).query("up");
        assertThat(requests.get(0)).contains("dedup=true").contains("partial_response=false").endsWith("auth=Bearer s3cret");
    }

    @Test
    void rangeQueriesParseMatrices() throws IOException {
        String matrix = """
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"pod":"a"},"values":[[1764072000,"1"],[1764072060,"2"]]}]}}""";
        var r = client(List.of(serve(200, "application/json", matrix)), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty())
                .queryRange("x", Instant.ofEpochSecond(1764072000), Instant.ofEpochSecond(1764072060), Duration.ofMinutes(1));
        assertThat(r.matrix()).hasSize(1);
        assertThat(r.matrix().get(0).points()).extracting(s -> s.value()).containsExactly(1.0, 2.0);
        assertThat(requests.get(0)).startsWith("/api/v1/query_range").contains("step=60s").contains("start=1764072000");
    }

    @Test
    void garbageIsABadResponseNotACrash() throws IOException {
        assertThatThrownBy(() -> client(List.of(serve(200, "application/json", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"abc\"]}]}}")),
                PrometheusConfig.Flavor.PROMETHEUS, Optional.empty()).query("up"))
                .isInstanceOfSatisfying(PrometheusException.class, e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.BAD_RESPONSE));
    }

    /**
     * The policy's and the shard tuner's instant queries at a time, range answers (replay) and the right-sizing
     * matrices all go through this client: each is refused past autoscaler.metrics.max-series, and never retried
     * on the next URL (the next one would answer the same fleet).
     */
    @Test
    void everyKindOfAnswerIsRefusedPastTheSeriesLimit() throws IOException {
        String vector = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"pod\":\"a\"},\"value\":[1764072000,\"1\"]},"
                + "{\"metric\":{\"pod\":\"b\"},\"value\":[1764072000,\"1\"]},"
                + "{\"metric\":{\"pod\":\"c\"},\"value\":[1764072000,\"1\"]}]}}";
        String matrix = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"pod\":\"a\"},\"values\":[[1764072000,\"1\"]]},"
                + "{\"metric\":{\"pod\":\"b\"},\"values\":[[1764072000,\"1\"]]},"
                + "{\"metric\":{\"pod\":\"c\"},\"values\":[[1764072000,\"1\"]]}]}}";
        URI vectors = serve(200, "application/json", vector);
        URI matrices = serve(200, "application/json", matrix);
        URI never = serve(200, "application/json", VECTOR);
        Instant t = Instant.ofEpochSecond(1764072000);
        PrometheusClient instant = client(List.of(vectors, never), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty(), 2);
        PrometheusClient range = client(List.of(matrices, never), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty(), 2);
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> instant.query("up"),
                () -> instant.query("up", t),
                () -> range.queryRange("up", t, t.plusSeconds(60), Duration.ofMinutes(1)),
                () -> range.queryRangeMatrix("up", t, t.plusSeconds(60), Duration.ofMinutes(1), TIMEOUT));
        for (var call : calls) {
            assertThatThrownBy(call).isInstanceOfSatisfying(SeriesLimitException.class, e -> {
                assertThat(e.seen()).isEqualTo(3);
                assertThat(e.limit()).isEqualTo(2);
            }).hasMessageContaining("autoscaler.metrics.max-series");
        }
        assertThat(requests).as("one request per call: never retried on the next URL").hasSize(4);
        assertThat(client(List.of(vectors), PrometheusConfig.Flavor.PROMETHEUS, Optional.empty(), 3).query("up").vector()).hasSize(3);
    }
}
