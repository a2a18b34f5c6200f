package io.rwautoscaler.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.apiserver.auth.RequestHeaderSource;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.rwautoscaler.metrics.SnapshotHolder;
import io.rwautoscaler.metrics.TestSnapshots;
import io.rwautoscaler.testsupport.TestPki;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delegation end to end: this service on its TLS port as kube-apiserver's aggregation layer reaches it (front-proxy
 * certificate, SubjectAccessReview on the mock server), with another adapter ({@link StandInAdapter}, HTTPS on
 * loopback, answering like prometheus-adapter) behind autoscaler.delegate.custom/external.
 */
@QuarkusTest
@TestProfile(DelegationTest.Delegating.class)
@WithKubernetesTestServer
class DelegationTest {

    /** Cluster mode, delegating both groups to the stand-in (its CA, a token file, short timeout, small bound). */
    public static class Delegating extends ClusterModeProfile {
        static final String PORT = "rwa.test.delegate.port";

        static synchronized int port() {
            if (System.getProperty(PORT) == null) {
                try (ServerSocket s = new ServerSocket(0)) {
                    System.setProperty(PORT, Integer.toString(s.getLocalPort()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return Integer.getInteger(PORT);
        }

        /** The stand-in's CA and serving pair, and the token this service presents, next to the cluster-mode PKI. */
        static synchronized Path files() {
            Path dir = pki();
            if (!Files.exists(dir.resolve("adapter-done"))) {
                TestPki.Issued ca = TestPki.ca("adapter-ca");
                TestPki.saveCa(dir, "adapter-ca", ca);
                TestPki.server(ca, "prometheus-adapter").write(dir.resolve("adapter.crt"), dir.resolve("adapter.key"));
                try {
                    Files.writeString(dir.resolve("delegate-token"), TOKEN + "\n");
                    Files.writeString(dir.resolve("adapter-done"), "");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return dir;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Path dir = files();
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            for (String group : List.of("custom", "external")) {
                // 127.0.0.1 for one, localhost for the other: both names are in the stand-in's certificate.
                m.put("autoscaler.delegate." + group + ".url", "https://" + (group.equals("custom") ? "127.0.0.1" : "localhost") + ":" + port());
                m.put("autoscaler.delegate." + group + ".ca-file", dir.resolve("adapter-ca.crt").toString());
                m.put("autoscaler.delegate." + group + ".token-file", dir.resolve("delegate-token").toString());
                m.put("autoscaler.delegate." + group + ".timeout", "2s");
            }
            m.put("autoscaler.delegate.discovery-refresh", "0s");
            m.put("autoscaler.delegate.max-response-bytes", "65536");
            return m;
        }
    }

    static final String TOKEN = "rwa-serviceaccount-token";
    static final String CUSTOM_V1BETA1 = "/apis/custom.metrics.k8s.io/v1beta1";
    static final String CUSTOM_V1BETA2 = "/apis/custom.metrics.k8s.io/v1beta2";
    static final String EXTERNAL = "/apis/external.metrics.k8s.io/v1beta1";
    static final String THEIRS = "/namespaces/default/pods/*/http_requests";
    static final String THEIRS_EXTERNAL = EXTERNAL + "/namespaces/default/queue_messages_ready?labelSelector=queue%3Dworker_tasks";
    static final String QUEUE = "prometheus_remote_storage_queue_length";
    static final String OURS = CUSTOM_V1BETA2 + "/namespaces/monitoring/pods/*/" + QUEUE + "?labelSelector=app%3Dthanos-receive";

    static StandInAdapter adapter;

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    RequestHeaderSource requestHeaders;
    @Inject
    SnapshotHolder holder;
    @Inject
    MetricRuleSet rules;

    final ObjectMapper json = new ObjectMapper();
    final Path pki = ClusterModeProfile.pki();
    final TestPki.Issued frontProxyCa = TestPki.loadCa(pki, "front-proxy-ca");
    final TestPki.Issued proxy = TestPki.client(frontProxyCa, "front-proxy-client");
    ClusterModeClient client;

    @BeforeEach
    void setUp() throws Exception {
        new FakeDelegation(server, frontProxyCa).install();
        assertThat(requestHeaders.runOnce(Instant.now())).isNotEqualTo(RequestHeaderSource.Outcome.FAILED);
        client = new ClusterModeClient(Ports.tls(), TestPki.loadCa(pki, "serving-ca"));
        if (adapter == null) {
            Path dir = Delegating.files();
            adapter = new StandInAdapter(Delegating.port(), TOKEN, TestPki.loadCa(dir, "adapter")).start();
        }
        adapter.delayMillis = 0;
        adapter.padBytes = 0;
        Files.writeString(Delegating.files().resolve("delegate-token"), TOKEN + "\n");
        publishSnapshot();
    }

    @AfterAll
    static void stopAdapter() {
        if (adapter != null) {
            adapter.stop();
            adapter = null;
        }
    }

    void publishSnapshot() {
        Instant now = Instant.now();
        Map<String, MetricData> data = new HashMap<>();
        for (MetricRule r : rules.rules()) {
            data.put(r.name(), new MetricData(r, List.of(
                    new Sample(Map.of("namespace", "monitoring", "pod", "prometheus-agent-0", "job", "prometheus-agent"), 9000, now)), now));
        }
        List<PodInfo> pods = List.of(
                new PodInfo("monitoring", "thanos-receive-0", Map.of("app", "thanos-receive"), true),
                new PodInfo("monitoring", "thanos-receive-1", Map.of("app", "thanos-receive"), true),
                new PodInfo("monitoring", "thanos-receive-2", Map.of("app", "thanos-receive"), true));
        TestSnapshots.publish(holder, new Snapshot(now, rules.rules(), data, Map.of(), pods, ObjectLabels.DEFAULT));
    }

    /** As kube-apiserver forwards the HPA controller's request: front-proxy certificate and identity headers. */
    ClusterModeClient.Reply asHpa(String path) throws Exception {
        return client.get(path, proxy, "X-Remote-User", "allowed-hpa-controller", "X-Remote-Group", "system:serviceaccounts");
    }

    List<String> resources(String discoveryPath) throws Exception {
        ClusterModeClient.Reply r = asHpa(discoveryPath);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json.readTree(r.body()).path("resources").forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    /** Discovery is refreshed in the background: wait, with a deadline, until it shows what is expected. */
    List<String> awaitResources(String discoveryPath, Predicate<List<String>> done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> names = resources(discoveryPath);
        while (!done.test(names) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            names = resources(discoveryPath);
        }
        return names;
    }

    double awaitCounterAbove(String name, double before, String... labels) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double now = Ports.counter(name, labels);
        while (now <= before && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = Ports.counter(name, labels);
        }
        return now;
    }

    JsonNode status(ClusterModeClient.Reply r, int code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        JsonNode s = json.readTree(r.body());
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("code").asInt()).isEqualTo(code);
        return s;
    }

    @Test
    void discoveryListsBothAdaptersMetricsOwnWinningAClash() throws Exception {
        for (String version : List.of(CUSTOM_V1BETA1, CUSTOM_V1BETA2)) {
            List<String> names = awaitResources(version, n -> n.contains("pods/http_requests"));
            assertThat(names).as(version).contains("pods/" + QUEUE, "services/" + QUEUE, "namespaces/" + QUEUE,
                    "namespaces/http_requests", "pods/http_requests", "services/nginx_ingress_controller_requests");
            // The stand-in lists pods/prometheus_remote_storage_queue_length too: one entry, this service's.
            assertThat(names.stream().filter(("pods/" + QUEUE)::equals)).as(version).hasSize(1);
            assertThat(names).isSorted();
        }
        assertThat(Ports.counter("rwa_delegate_discovery_shadowed", "api=\"custom.metrics.k8s.io\"")).isEqualTo(1);
        assertThat(awaitResources(EXTERNAL, n -> n.contains("queue_messages_ready"))).contains(QUEUE, "queue_messages_ready");
        assertThat(Ports.counter("rwa_delegate_discovery_shadowed", "api=\"external.metrics.k8s.io\"")).isZero();
        // Discovery reached the stand-in with this service's token.
        assertThat(adapter.seenFor(CUSTOM_V1BETA2)).isNotEmpty().allSatisfy(s -> assertThat(s.authorization()).isEqualTo("Bearer " + TOKEN));
    }

    @Test
    void eachAdapterAnswersItsOwnMetrics() throws Exception {
        int before = adapter.seen.size();
        ClusterModeClient.Reply v1 = asHpa(CUSTOM_V1BETA1 + THEIRS + "?labelSelector=app%3Dsample-app");
        assertThat(v1.statusCode()).isEqualTo(200);
        assertThat(v1.contentType()).isEqualTo("application/json");
        assertThat(v1.body()).isEqualTo(StandInAdapter.PODS_V1BETA1);
        ClusterModeClient.Reply v2 = asHpa(CUSTOM_V1BETA2 + THEIRS);
        assertThat(v2.body()).isEqualTo(StandInAdapter.PODS_V1BETA2);
        ClusterModeClient.Reply external = asHpa(THEIRS_EXTERNAL);
        assertThat(external.statusCode()).isEqualTo(200);
        assertThat(external.body()).isEqualTo(StandInAdapter.EXTERNAL_VALUES);

        // Forwarded as asked (path, query), with this service's token; the caller's identity headers stay here.
        List<StandInAdapter.Seen> forwarded = adapter.seen.subList(before, adapter.seen.size()).stream()
                .filter(s -> !s.pathAndQuery().equals(CUSTOM_V1BETA1) && !s.pathAndQuery().equals(CUSTOM_V1BETA2)
                        && !s.pathAndQuery().equals(EXTERNAL)).toList();
        assertThat(forwarded).extracting(StandInAdapter.Seen::pathAndQuery).containsExactly(
                CUSTOM_V1BETA1 + THEIRS + "?labelSelector=app%3Dsample-app", CUSTOM_V1BETA2 + THEIRS, THEIRS_EXTERNAL);
        assertThat(forwarded).allSatisfy(s -> {
            assertThat(s.authorization()).isEqualTo("Bearer " + TOKEN);
            assertThat(s.remoteUser()).isEmpty();
        });

        // This service's own metric is answered here, never forwarded.
        int seenBeforeOurs = adapter.seen.size();
        ClusterModeClient.Reply ours = asHpa(OURS);
        assertThat(ours.statusCode()).as(ours.body()).isEqualTo(200);
        List<String> values = new ArrayList<>();
        json.readTree(ours.body()).path("items").forEach(i -> values.add(i.path("value").asText()));
        assertThat(values).containsExactly("3k", "3k", "3k");
        assertThat(adapter.seen.subList(seenBeforeOurs, adapter.seen.size()))
                .noneMatch(s -> s.pathAndQuery().contains(QUEUE));
    }

    /** Issue 19's "Done when", as a user checks it: kubectl get --raw through a kubeconfig, with a token this service reviews. */
    @Test
    void kubectlGetRawListsBothAdaptersMetricsAndEachAnswers() throws Exception {
        boolean present = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
        if (!present && "1".equals(System.getenv("RWA_MANIFESTS_REQUIRED"))) {
            throw new AssertionError("kubectl is not on PATH");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "kubectl not on PATH");
        awaitResources(CUSTOM_V1BETA2, n -> n.contains("pods/http_requests"));
        awaitResources(EXTERNAL, n -> n.contains("queue_messages_ready"));

        List<String> custom = new ArrayList<>();
        json.readTree(kubectlGetRaw(CUSTOM_V1BETA2)).path("resources").forEach(n -> custom.add(n.path("name").asText()));
        assertThat(custom).contains("pods/" + QUEUE, "services/" + QUEUE, "pods/http_requests", "namespaces/http_requests",
                "services/nginx_ingress_controller_requests");
        List<String> external = new ArrayList<>();
        json.readTree(kubectlGetRaw(EXTERNAL)).path("resources").forEach(n -> external.add(n.path("name").asText()));
        assertThat(external).contains(QUEUE, "queue_messages_ready");

        List<String> values = new ArrayList<>();
        json.readTree(kubectlGetRaw(OURS)).path("items").forEach(i -> values.add(i.path("value").asText()));
        assertThat(values).containsExactly("3k", "3k", "3k");
        // The other adapter's metric, through us: kubectl sends `pods/*` as `pods/%2A` (and adds ?timeout=); we forward the
        // path and query as received, byte for byte, and the other adapter decodes it.
        int before = adapter.seen.size();
        List<String> theirs = new ArrayList<>();
        json.readTree(kubectlGetRaw(CUSTOM_V1BETA2 + THEIRS)).path("items").forEach(i -> theirs.add(
                i.path("describedObject").path("name").asText() + "=" + i.path("value").asText()));
        assertThat(theirs).containsExactly("sample-app-579bc6b4f5-bn2fk=66m");
        assertThat(adapter.seen.subList(before, adapter.seen.size())).extracting(StandInAdapter.Seen::pathAndQuery)
                .containsExactly(CUSTOM_V1BETA2 + "/namespaces/default/pods/%2A/http_requests?timeout=30s");
        List<String> theirsExternal = new ArrayList<>();
        json.readTree(kubectlGetRaw(THEIRS_EXTERNAL)).path("items").forEach(i -> theirsExternal.add(
                i.path("metricName").asText() + "=" + i.path("value").asText()));
        assertThat(theirsExternal).containsExactly("queue_messages_ready=25");
    }

    /** kubectl get --raw PATH against this service's TLS port: a kubeconfig with its CA and a token; the body as printed. */
    String kubectlGetRaw(String path) throws Exception {
        Path dir = Path.of("target", "kubectl-delegation").toAbsolutePath();
        Files.createDirectories(dir);
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: rwa, cluster: {server: "https://127.0.0.1:%d", certificate-authority: "%s"}}]
                users: [{name: hpa, user: {token: "token:allowed-hpa-controller"}}]
                contexts: [{name: rwa, context: {cluster: rwa, user: hpa}}]
                current-context: rwa
                """.formatted(Ports.tls(), pki.resolve("serving-ca.crt")));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString(),
                "--request-timeout=30s", "get", "--raw", path)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl get --raw " + path + " did not finish within 60 s");
        }
        assertThat(p.exitValue()).as("kubectl get --raw %s: %s", path, Files.readString(err)).isZero();
        return Files.readString(out).strip();
    }

    @Test
    void theOtherAdaptersStatusComesBackUnchanged() throws Exception {
        ClusterModeClient.Reply r = asHpa(CUSTOM_V1BETA1 + "/namespaces/default/pods/*/no_such_metric");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo(StandInAdapter.status(404, "NotFound", "the server could not find the metric no_such_metric for pods"));
        // A token the other adapter refuses: its 401 Status, as it sent it (the token file is read on every request).
        Files.writeString(Delegating.files().resolve("delegate-token"), "revoked\n");
        ClusterModeClient.Reply refused = asHpa(CUSTOM_V1BETA2 + THEIRS);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo(StandInAdapter.status(401, "Unauthorized", "Unauthorized"));
    }

    @Test
    void callersAreAuthorizedHereBeforeAnythingIsForwarded() throws Exception {
        int before = adapter.seen.size();
        JsonNode denied = status(client.get(CUSTOM_V1BETA2 + THEIRS, null, "Authorization", "Bearer token:intruder"), 403);
        assertThat(denied.path("message").asText()).contains("User \"intruder\" cannot get resource \"pods/http_requests\"");
        status(client.get(CUSTOM_V1BETA2 + THEIRS, null), 401);
        assertThat(adapter.seen.subList(before, adapter.seen.size())).noneMatch(s -> s.pathAndQuery().contains("http_requests"));
    }

    @Test
    void whileTheOtherAdapterIsDownOwnMetricsAndItsLastDiscoveryListStay() throws Exception {
        awaitResources(CUSTOM_V1BETA2, n -> n.contains("pods/http_requests"));
        double failures = Ports.counter("rwa_delegate_requests_total", "kind=\"discovery\"", "outcome=\"unreachable\"");
        adapter.stop();
        try {
            JsonNode s = status(asHpa(CUSTOM_V1BETA2 + THEIRS), 503);
            assertThat(s.path("reason").asText()).isEqualTo("ServiceUnavailable");
            assertThat(s.path("message").asText()).startsWith("custom.metrics.k8s.io/v1beta2 metric http_requests is served by "
                    + "the custom.metrics.k8s.io adapter at https://127.0.0.1:" + Delegating.port() + ", which cannot answer: "
                    + "cannot connect to the custom.metrics.k8s.io adapter at https://127.0.0.1:" + Delegating.port());
            assertThat(status(asHpa(THEIRS_EXTERNAL), 503).path("message").asText())
                    .contains("the external.metrics.k8s.io adapter at https://localhost:" + Delegating.port());

            assertThat(asHpa(OURS).statusCode()).isEqualTo(200);
            // Each discovery request tries the other adapter again (discovery-refresh 0s) and keeps its last good list.
            resources(CUSTOM_V1BETA2);
            assertThat(awaitCounterAbove("rwa_delegate_requests_total", failures, "kind=\"discovery\"", "outcome=\"unreachable\""))
                    .isGreaterThan(failures);
            assertThat(resources(CUSTOM_V1BETA2)).contains("pods/" + QUEUE, "pods/http_requests", "namespaces/http_requests");
        } finally {
            adapter.start();
        }
        assertThat(asHpa(CUSTOM_V1BETA2 + THEIRS).body()).isEqualTo(StandInAdapter.PODS_V1BETA2);
    }

    @Test
    void aSlowOtherAdapterTimesOutWithoutHoldingUpOwnMetrics() throws Exception {
        awaitResources(CUSTOM_V1BETA2, n -> n.contains("pods/http_requests"));
        adapter.delayMillis = 10_000;
        CompletableFuture<ClusterModeClient.Reply> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return asHpa(CUSTOM_V1BETA2 + THEIRS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // While that request waits on the other adapter: own metrics and discovery answer.
        assertThat(asHpa(OURS).statusCode()).isEqualTo(200);
        assertThat(resources(CUSTOM_V1BETA2)).contains("pods/" + QUEUE, "pods/http_requests");
        JsonNode s = status(slow.get(60, TimeUnit.SECONDS), 503);
        assertThat(s.path("message").asText()).endsWith("which cannot answer: the custom.metrics.k8s.io adapter at https://127.0.0.1:"
                + Delegating.port() + " did not answer within 2000 ms");
    }

    @Test
    void anAnswerLargerThanTheBoundIsRefused() throws Exception {
        adapter.padBytes = 100_000;
        JsonNode s = status(asHpa(CUSTOM_V1BETA2 + THEIRS), 503);
        assertThat(s.path("message").asText()).endsWith("answered more than 65536 bytes (autoscaler.delegate.max-response-bytes)");
        adapter.padBytes = 30_000;
        ClusterModeClient.Reply within = asHpa(CUSTOM_V1BETA2 + THEIRS);
        assertThat(within.statusCode()).isEqualTo(200);
        assertThat(within.body()).hasSizeGreaterThan(30_000);
    }
}
