package io.rwautoscaler.testsupport;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback HTTP server that answers {@code /api/v1/query} from canned vectors, keyed by the exact PromQL: for
 * tests that need figures a real Prometheus cannot be made to show on demand (a lag of 5 minutes, a 7-day p99).
 * Unknown queries answer an empty vector. Counts every request, can be slowed down or made to fail.
 */
public final class CannedPrometheusServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Map<Map<String, String>, Double>> answers = new ConcurrentHashMap<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final Map<String, Integer> failing = new ConcurrentHashMap<>();
    private final AtomicLong delayMillis = new AtomicLong();
    private final AtomicReference<Runnable> onRequest = new AtomicReference<>(() -> { });

    public CannedPrometheusServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/query", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = form(body).getOrDefault("query", "");
            queries.add(query);
            onRequest.get().run();
            sleep(delayMillis.get());
            byte[] out;
            int code = failing.getOrDefault(query, status.get());
            if (code != 200) {
                out = ("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"fake failure " + code + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                out = vector(answers.getOrDefault(query, Map.of())).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-prometheus");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Sets one series of {@code query}'s answer (replacing the value of a series with the same labels). */
    public CannedPrometheusServer answer(String query, Map<String, String> labels, double value) {
        answers.computeIfAbsent(query, q -> new ConcurrentHashMap<>()).put(new TreeMap<>(labels), value);
        return this;
    }

    /** Removes every series whose labels include all of {@code labels}, from every query. */
    public void forget(Map<String, String> labels) {
        answers.values().forEach(series -> series.keySet().removeIf(l -> l.entrySet().containsAll(labels.entrySet())));
    }

    public void clear() {
        answers.clear();
        failing.clear();
        status.set(200);
        delayMillis.set(0);
        queries.clear();
    }

    /** Every query asked so far, in order. */
    public List<String> queries() {
        return new ArrayList<>(queries);
    }

    public void resetCount() {
        queries.clear();
    }

    /** Answer every request with this HTTP status (200 = normal). */
    public void failWith(int httpStatus) {
        status.set(httpStatus);
    }

    /** Answer this one query with an HTTP error; the others as usual. */
    public void failQuery(String query, int httpStatus) {
        failing.put(query, httpStatus);
    }

    public void delay(Duration d) {
        delayMillis.set(d.toMillis());
    }

    /** Runs on the server thread at each request, before answering: lets a test block a query. */
    public void onRequest(Runnable r) {
        onRequest.set(r == null ? () -> { } : r);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String vector(Map<Map<String, String>, Double> series) {
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        boolean first = true;
        for (Map.Entry<Map<String, String>, Double> s : series.entrySet()) {
            b.append(first ? "" : ",").append("{\"metric\":{");
            first = false;
            boolean firstLabel = true;
            for (Map.Entry<String, String> l : s.getKey().entrySet()) {
                b.append(firstLabel ? "" : ",").append('"').append(escape(l.getKey())).append("\":\"")
                        .append(escape(l.getValue())).append('"');
                firstLabel = false;
            }
            b.append("},\"value\":[1764072000,\"").append(s.getValue()).append("\"]}");
        }
        return b.append("]}}").toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** An {@code application/x-www-form-urlencoded} body (Prometheus' POST queries), in order. */
    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
