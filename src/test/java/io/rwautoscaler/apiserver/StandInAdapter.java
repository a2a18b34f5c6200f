package io.rwautoscaler.apiserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.rwautoscaler.testsupport.TestPki;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Another metrics adapter on loopback, speaking the custom and external metrics APIs over HTTPS with bearer tokens
 * the way prometheus-adapter (custom-metrics-apiserver) answers: its discovery lists, MetricValueList in both
 * custom versions (describedObject apiVersion "/v1", values as quantities), ExternalMetricValueList, and Status for
 * an unknown metric or a bad token. Every request is recorded; it can be stopped, restarted on its port, slowed, or
 * made to answer too much.
 */
final class StandInAdapter {

    /** One request as the stand-in saw it. */
    record Seen(String pathAndQuery, String authorization, List<String> remoteUser) {
    }

    static final String DISCOVERY_V1BETA1 = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"custom.metrics.k8s.io/v1beta1","resources":[\
            {"name":"namespaces/http_requests","singularName":"","namespaced":false,"kind":"MetricValueList","verbs":["get"]},\
            {"name":"pods/http_requests","singularName":"","namespaced":true,"kind":"MetricValueList","verbs":["get"]},\
            {"name":"pods/prometheus_remote_storage_queue_length","singularName":"","namespaced":true,"kind":"MetricValueList","verbs":["get"]},\
            {"name":"services/nginx_ingress_controller_requests","singularName":"","namespaced":true,"kind":"MetricValueList","verbs":["get"]}]}""";
    static final String EXTERNAL_DISCOVERY = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"external.metrics.k8s.io/v1beta1","resources":[\
            {"name":"queue_messages_ready","singularName":"","namespaced":true,"kind":"ExternalMetricValueList","verbs":["get"]}]}""";
    static final String PODS_V1BETA1 = """
            {"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta1","metadata":{"selfLink":\
            "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/%2A/http_requests"},"items":[\
            {"describedObject":{"kind":"Pod","namespace":"default","name":"sample-app-579bc6b4f5-bn2fk","apiVersion":"/v1"},\
            "metricName":"http_requests","timestamp":"2026-12-04T21:50:04Z","value":"66m","selector":null}]}""";
    static final String PODS_V1BETA2 = """
            {"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[\
            {"describedObject":{"kind":"Pod","namespace":"default","name":"sample-app-579bc6b4f5-bn2fk","apiVersion":"/v1"},\
            "metric":{"name":"http_requests","selector":null},"timestamp":"2026-12-04T21:50:04Z","value":"66m"}]}""";
    static final String EXTERNAL_VALUES = """
            {"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[\
            {"metricName":"queue_messages_ready","metricLabels":{"queue":"worker_tasks"},"timestamp":"2026-12-04T21:50:04Z",\
            "value":"25"}]}""";

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final int port;
    private final String token;
    private final SSLContext tls;
    volatile long delayMillis;
    volatile int padBytes;
    private HttpsServer server;
    private ExecutorService executor;

    StandInAdapter(int port, String token, TestPki.Issued serving) {
        this.port = port;
        this.token = token;
        this.tls = context(serving);
    }

    synchronized StandInAdapter start() {
        try {
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("stand-in adapter cannot listen on 127.0.0.1:" + port, e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    /** Closes the listening socket and every connection: callers get "connection refused". */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    List<Seen> seenFor(String pathPrefix) {
        return seen.stream().filter(s -> s.pathAndQuery().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String raw = x.getRequestURI().getRawPath() + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery());
            seen.add(new Seen(raw, x.getRequestHeaders().getFirst("Authorization"),
                    x.getRequestHeaders().getOrDefault("X-Remote-User", List.of())));
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                reply(x, 401, status(401, "Unauthorized", "Unauthorized"));
                return;
            }
            // Decoded, as a Kubernetes apiserver library routes it: kubectl (and the aggregator) send `pods/*` as
            // `pods/%2A`, and prometheus-adapter answers either spelling.
            String path = x.getRequestURI().getPath();
            String body = switch (path) {
                case "/apis/custom.metrics.k8s.io/v1beta1" -> DISCOVERY_V1BETA1;
                case "/apis/custom.metrics.k8s.io/v1beta2" -> DISCOVERY_V1BETA1.replace("custom.metrics.k8s.io/v1beta1", "custom.metrics.k8s.io/v1beta2");
                case "/apis/external.metrics.k8s.io/v1beta1" -> EXTERNAL_DISCOVERY;
                case "/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/http_requests" -> PODS_V1BETA1;
                case "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/http_requests" -> PODS_V1BETA2;
                case "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_messages_ready" -> EXTERNAL_VALUES;
                default -> null;
            };
            if (body == null) {
                String metric = path.substring(path.lastIndexOf('/') + 1);
                reply(x, 404, status(404, "NotFound", "the server could not find the metric " + metric + " for pods"));
                return;
            }
            if (padBytes > 0) {
                body = body.substring(0, body.length() - 1) + ",\"padding\":\"" + "x".repeat(padBytes) + "\"}";
            }
            reply(x, 200, body);
        }
    }

    static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message
                + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}\n";
    }

    private static void reply(HttpExchange x, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(code, bytes.length);
        x.getResponseBody().write(bytes);
    }

    private static SSLContext context(TestPki.Issued serving) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("serving", serving.key(), new char[0], serving.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
