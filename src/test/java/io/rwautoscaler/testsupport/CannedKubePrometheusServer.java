package io.rwautoscaler.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for a Prometheus that scrapes cAdvisor and kube-state-metrics of a cluster described in
 * code: it answers right-sizing's range queries (flat usage per container) and kube-state-metrics instant
 * queries, records every request, and can be made slow, refusing or warning on purpose. For what a real
 * Prometheus cannot be made to do on demand, and for clusters too big to backfill quickly.
 */
public final class CannedKubePrometheusServer implements AutoCloseable {

    /** A container and its flat usage; a null request is unset. */
    public record Container(String name, Double cpuRequest, Long memoryRequest, double cpuUsage, long memoryUsage) {
    }

    /** An HPA on a workload: min/max, targets in percent (null when not scaled on that resource). */
    public record Hpa(int min, int max, Integer cpuTarget, Integer memoryTarget) {
    }

    /** {@code kind} is StatefulSet, Deployment or DaemonSet. */
    public record Workload(String namespace, String kind, String name, int replicas, List<Container> containers, Hpa hpa) {
        public List<String> pods() {
            List<String> pods = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                pods.add(switch (kind) {
                    case "StatefulSet" -> name + "-" + i;
                    case "DaemonSet" -> name + "-" + suffix(i, 5);
                    default -> replicaSet() + "-" + suffix(i, 5);
                });
            }
            return pods;
        }

        public String replicaSet() {
            return name + "-7c9f8d6b5";
        }
    }

    /** A range query as received. */
    public record RangeQuery(String query, long start, long end, long step) {
    }

    /** What to answer instead of data: an HTTP status and a Prometheus error body, or null to answer normally. */
    public record Refusal(int status, String errorType, String error) {
    }

    private static final Pattern NAMESPACES = Pattern.compile("namespace=~\"([^\"]*)\"");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private volatile List<Workload> workloads = List.of();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<RangeQuery> rangeQueries = new CopyOnWriteArrayList<>();
    private volatile Function<RangeQuery, Refusal> refusal = q -> null;
    private volatile Function<RangeQuery, Long> delayMillis = q -> 0L;
    private volatile CountDownLatch rangeGate = new CountDownLatch(0);
    private volatile List<String> warnings = List.of();

    public CannedKubePrometheusServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public CannedKubePrometheusServer workloads(List<Workload> w) {
        workloads = List.copyOf(w);
        return this;
    }

    /** Refuse some range queries with a Prometheus error. */
    public CannedKubePrometheusServer refuse(Function<RangeQuery, Refusal> r) {
        refusal = r;
        return this;
    }

    /** Answer some range queries late. */
    public CannedKubePrometheusServer delay(Function<RangeQuery, Long> millis) {
        delayMillis = millis;
        return this;
    }

    /**
     * Range queries wait (at most 5 minutes, so nothing hangs forever) until {@link #releaseRangeQueries()}: a test
     * decides when a long run ends instead of guessing how long it lasts.
     */
    public CannedKubePrometheusServer holdRangeQueries() {
        rangeGate = new CountDownLatch(1);
        return this;
    }

    public void releaseRangeQueries() {
        rangeGate.countDown();
    }

    /** Warnings on every range query's answer, as Thanos Query sends on partial responses. */
    public CannedKubePrometheusServer warn(String... w) {
        warnings = List.of(w);
        return this;
    }

    /** Every request: {@code path query}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public List<RangeQuery> rangeQueries() {
        return List.copyOf(rangeQueries);
    }

    public void reset() {
        requests.clear();
        rangeQueries.clear();
    }

    @Override
    public void close() {
        rangeGate.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> params = CannedPrometheusServer.form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String path = ex.getRequestURI().getPath();
            String query = params.getOrDefault("query", "");
            requests.add(path + " " + query);
            String body;
            int status = 200;
            if (path.equals("/api/v1/query_range")) {
                RangeQuery q = new RangeQuery(query, seconds(params.get("start")), seconds(params.get("end")),
                        seconds(params.get("step").replace("s", "")));
                rangeQueries.add(q);
                if (!rangeGate.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("range queries held for 5 minutes: the test never released them");
                }
                long delay = delayMillis.apply(q);
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                Refusal r = refusal.apply(q);
                if (r != null) {
                    status = r.status();
                    body = "{\"status\":\"error\",\"errorType\":\"" + r.errorType() + "\",\"error\":\"" + r.error() + "\"}";
                } else {
                    body = range(q);
                }
            } else if (path.equals("/api/v1/query")) {
                body = instant(query, params.get("time"));
            } else {
                status = 404;
                body = "{\"status\":\"error\",\"errorType\":\"not_found\",\"error\":\"" + path + "\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (a timeout): nothing to answer
        }
    }

    private String range(RangeQuery q) {
        boolean cpu = q.query().contains("container_cpu_usage_seconds_total");
        Pattern ns = namespaces(q.query());
        StringBuilder b = new StringBuilder("{\"status\":\"success\",");
        if (!warnings.isEmpty()) {
            b.append("\"warnings\":[");
            for (int i = 0; i < warnings.size(); i++) {
                b.append(i > 0 ? "," : "").append('"').append(warnings.get(i)).append('"');
            }
            b.append("],");
        }
        b.append("\"data\":{\"resultType\":\"matrix\",\"result\":[");
        boolean first = true;
        for (Workload w : workloads) {
            if (!ns.matcher(w.namespace()).matches()) {
                continue;
            }
            for (String pod : w.pods()) {
                for (Container c : w.containers()) {
                    b.append(first ? "" : ",").append("{\"metric\":{\"namespace\":\"").append(w.namespace())
                            .append("\",\"pod\":\"").append(pod).append("\",\"container\":\"").append(c.name())
                            .append("\"},\"values\":[");
                    String value = cpu ? Double.toString(c.cpuUsage()) : Long.toString(c.memoryUsage());
                    for (long t = q.start(); t <= q.end(); t += q.step()) {
                        b.append(t == q.start() ? "" : ",").append('[').append(t).append(",\"").append(value).append("\"]");
                    }
                    b.append("]}");
                    first = false;
                }
            }
        }
        return b.append("]}}").toString();
    }

    private String instant(String query, String time) {
        Pattern ns = namespaces(query);
        List<Map<String, String>> series = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Workload w : workloads) {
            if (ns == null || !ns.matcher(w.namespace()).matches()) {
                continue;
            }
            String kindLabel = w.kind().toLowerCase(Locale.ROOT);
            Map<String, String> workload = Map.of("namespace", w.namespace(), kindLabel, w.name());
            String hpaName = w.name();
            Map<String, String> hpa = Map.of("namespace", w.namespace(), "horizontalpodautoscaler", hpaName);
            if (query.startsWith("kube_statefulset_replicas") && w.kind().equals("StatefulSet")
                    || query.startsWith("kube_deployment_spec_replicas") && w.kind().equals("Deployment")
                    || query.startsWith("kube_daemonset_status_desired_number_scheduled") && w.kind().equals("DaemonSet")) {
                add(series, values, workload, w.replicas());
            } else if (query.startsWith("last_over_time(kube_replicaset_owner") && w.kind().equals("Deployment")) {
                add(series, values, Map.of("namespace", w.namespace(), "replicaset", w.replicaSet(),
                        "owner_kind", "Deployment", "owner_name", w.name()), 1);
            } else if (w.hpa() != null && query.startsWith("kube_horizontalpodautoscaler_info")) {
                add(series, values, with(hpa, "scaletargetref_kind", w.kind(), "scaletargetref_name", w.name()), 1);
            } else if (w.hpa() != null && query.startsWith("kube_horizontalpodautoscaler_spec_min_replicas")) {
                add(series, values, hpa, w.hpa().min());
            } else if (w.hpa() != null && query.startsWith("kube_horizontalpodautoscaler_spec_max_replicas")) {
                add(series, values, hpa, w.hpa().max());
            } else if (w.hpa() != null && query.startsWith("kube_horizontalpodautoscaler_spec_target_metric")) {
                if (w.hpa().cpuTarget() != null) {
                    add(series, values, with(hpa, "metric_name", "cpu", "metric_target_type", "utilization"), w.hpa().cpuTarget());
                }
                if (w.hpa().memoryTarget() != null) {
                    add(series, values, with(hpa, "metric_name", "memory", "metric_target_type", "utilization"), w.hpa().memoryTarget());
                }
            }
            for (String pod : w.pods()) {
                Map<String, String> p = Map.of("namespace", w.namespace(), "pod", pod);
                if (query.startsWith("last_over_time(kube_pod_owner")) {
                    add(series, values, with(p, "owner_kind", w.kind().equals("Deployment") ? "ReplicaSet" : w.kind(),
                            "owner_name", w.kind().equals("Deployment") ? w.replicaSet() : w.name()), 1);
                }
                for (Container c : w.containers()) {
                    Map<String, String> pc = with(p, "container", c.name());
                    if (query.startsWith("kube_pod_container_info")) {
                        add(series, values, pc, 1);
                    } else if (query.startsWith("kube_pod_container_resource_requests")) {
                        if (c.cpuRequest() != null) {
                            add(series, values, with(pc, "resource", "cpu", "unit", "core"), c.cpuRequest());
                        }
                        if (c.memoryRequest() != null) {
                            add(series, values, with(pc, "resource", "memory", "unit", "byte"), c.memoryRequest());
                        }
                    }
                }
            }
        }
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
        String t = time == null ? "1700000000" : time;
        for (int i = 0; i < series.size(); i++) {
            b.append(i > 0 ? "," : "").append("{\"metric\":{");
            int j = 0;
            for (var e : series.get(i).entrySet()) {
                b.append(j++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
            }
            b.append("},\"value\":[").append(t).append(",\"").append(values.get(i)).append("\"]}");
        }
        return b.append("]}}").toString();
    }

    private static void add(List<Map<String, String>> series, List<String> values, Map<String, String> labels, Number v) {
        series.add(labels);
        values.add(v.toString());
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> m = new HashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private static Pattern namespaces(String query) {
        Matcher m = NAMESPACES.matcher(query);
        return m.find() ? Pattern.compile(m.group(1)) : null;
    }

    private static long seconds(String s) {
        return new java.math.BigDecimal(s).longValue();
    }

    /** A pod-name suffix of {@code length} characters from a number, as controllers' random suffixes look. */
    static String suffix(int i, int length) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder s = new StringBuilder();
        int n = i;
        for (int k = 0; k < length; k++) {
            s.append(alphabet.charAt(n % alphabet.length()));
            n /= alphabet.length();
        }
        return s.toString();
    }
}
