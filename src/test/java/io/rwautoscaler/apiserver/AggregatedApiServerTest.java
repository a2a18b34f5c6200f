package io.rwautoscaler.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.shards.ShardTunerLoop;
import io.rwautoscaler.apiserver.auth.RequestHeaderSource;
import io.rwautoscaler.testsupport.TestPki;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The API port as kube-apiserver's aggregation layer reaches it: real TLS, front-proxy client certificates,
 * bearer tokens, and TokenReview/SubjectAccessReview answered by the Kubernetes mock server.
 */
@QuarkusTest
@TestProfile(ClusterModeProfile.class)
@WithKubernetesTestServer
class AggregatedApiServerTest {

    static final String DISCOVERY = "/apis/custom.metrics.k8s.io/v1beta1";
    static final String QUEUE = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length";
    static final String EXTERNAL = "/apis/external.metrics.k8s.io/v1beta1/namespaces/monitoring/prometheus_remote_storage_queue_length";

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    RequestHeaderSource requestHeaders;
    @Inject
    ShardTunerLoop shardTuner;

    final ObjectMapper json = new ObjectMapper();
    final Path pki = ClusterModeProfile.pki();
    final TestPki.Issued frontProxyCa = TestPki.loadCa(pki, "front-proxy-ca");
    FakeDelegation kube;
    ClusterModeClient client;

    @BeforeEach
    void setUp() {
        kube = new FakeDelegation(server, frontProxyCa).install();
        assertThat(requestHeaders.runOnce(Instant.now())).isNotEqualTo(RequestHeaderSource.Outcome.FAILED);
        client = new ClusterModeClient(Ports.tls(), TestPki.loadCa(pki, "serving-ca"));
    }

    JsonNode status(ClusterModeClient.Reply r, int code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
        assertThat(r.contentType()).isEqualTo("application/json");
        JsonNode s = json.readTree(r.body());
        assertThat(s.get("kind").asText()).isEqualTo("Status");
        assertThat(s.get("code").asInt()).isEqualTo(code);
        return s;
    }

    SubjectAccessReview onlyAccessReview() {
        assertThat(kube.accessReviews).hasSize(1);
        return kube.accessReviews.get(0);
    }

    @Test
    void neitherCertificateNorTokenIs401() throws Exception {
        JsonNode s = status(client.get(DISCOVERY, null), 401);
        assertThat(s.get("reason").asText()).isEqualTo("Unauthorized");
        assertThat(status(client.get(QUEUE, null), 401).get("message").asText()).contains("no bearer token");
        assertThat(status(client.get("/no/such/path", null), 401)).isNotNull();
        assertThat(kube.tokenReviews).isEmpty();
        assertThat(kube.accessReviews).isEmpty();
    }

    @Test
    void aBadTokenIs401() throws Exception {
        assertThat(status(client.get(DISCOVERY, null, "Authorization", "Bearer stolen"), 401).get("message").asText())
                .contains("invalid bearer token");
        assertThat(kube.tokenReviews).hasSize(1);
        assertThat(kube.accessReviews).isEmpty();
    }

    @Test
    void aValidTokenThatSubjectAccessReviewDeniesIs403() throws Exception {
        JsonNode s = status(client.get(QUEUE, null, "Authorization", "Bearer token:intruder"), 403);
        assertThat(s.get("reason").asText()).isEqualTo("Forbidden");
        assertThat(s.get("message").asText()).isEqualTo("forbidden: User \"intruder\" cannot get resource "
                + "\"pods/prometheus_remote_storage_queue_length\" in API group \"custom.metrics.k8s.io\" in the namespace \"monitoring\"");
    }

    @Test
    void aValidTokenThatSubjectAccessReviewAllowsIs200() throws Exception {
        ClusterModeClient.Reply r = client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-dashboard");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"groupVersion\":\"custom.metrics.k8s.io/v1beta1\"");
        var spec = onlyAccessReview().getSpec();
        assertThat(spec.getUser()).isEqualTo("allowed-dashboard");
        assertThat(spec.getUid()).isEqualTo("uid-allowed-dashboard");
        assertThat(spec.getGroups()).containsExactly("team-a", "system:authenticated");
        assertThat(spec.getResourceAttributes()).isNull();
        assertThat(spec.getNonResourceAttributes().getPath()).isEqualTo(DISCOVERY);
        assertThat(spec.getNonResourceAttributes().getVerb()).isEqualTo("get");
    }

    @Test
    void metricRequestsAreReviewedAsResources() throws Exception {
        // Allowed, then answered by the API itself (no snapshot in this test: 503, not 401/403).
        assertThat(client.get(QUEUE, null, "Authorization", "Bearer token:allowed-hpa").statusCode()).isEqualTo(503);
        var custom = onlyAccessReview().getSpec().getResourceAttributes();
        assertThat(List.of(custom.getVerb(), custom.getGroup(), custom.getVersion(), custom.getNamespace(), custom.getResource(),
                custom.getSubresource(), custom.getName())).containsExactly("get", "custom.metrics.k8s.io", "v1beta2", "monitoring",
                "pods", "prometheus_remote_storage_queue_length", "*");
        kube.accessReviews.clear();
        assertThat(client.get(EXTERNAL + "?labelSelector=app%3Dagent", null, "Authorization", "Bearer token:allowed-hpa").statusCode())
                .isEqualTo(503);
        var external = onlyAccessReview().getSpec().getResourceAttributes();
        assertThat(List.of(external.getVerb(), external.getGroup(), external.getNamespace(), external.getResource()))
                .containsExactly("list", "external.metrics.k8s.io", "monitoring", "prometheus_remote_storage_queue_length");
        assertThat(external.getName()).isNull();
    }

    @Test
    void reportsAreNonResourceRequestsAndNameTheCluster() throws Exception {
        shardTuner.runOnce(Instant.now()); // a report exists only after a first cycle (before it: 503, NotYet)
        ClusterModeClient.Reply r = client.get("/api/v1/agents", null, "Authorization", "Bearer token:allowed-sre");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json.readTree(r.body()).path("cluster").asText()).isEqualTo("cluster-test");
        var spec = onlyAccessReview().getSpec();
        assertThat(spec.getResourceAttributes()).isNull();
        assertThat(spec.getNonResourceAttributes().getPath()).isEqualTo("/api/v1/agents");
        assertThat(spec.getNonResourceAttributes().getVerb()).isEqualTo("get");
        assertThat(status(client.get("/api/v1/agents", null, "Authorization", "Bearer token:sre-without-binding"), 403)
                .get("message").asText()).isEqualTo("forbidden: User \"sre-without-binding\" cannot get path \"/api/v1/agents\"");
    }

    @Test
    void theFrontProxyCertificateMakesTheRemoteHeadersTheIdentity() throws Exception {
        var proxy = TestPki.client(frontProxyCa, "front-proxy-client");
        ClusterModeClient.Reply r = client.get(DISCOVERY, proxy, "X-Remote-User", "allowed-hpa-controller",
                "X-Remote-Group", "system:serviceaccounts", "X-Remote-Group", "system:authenticated",
                "X-Remote-Extra-Authentication.kubernetes.io%2fpod-name", "kube-controller-manager-0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var spec = onlyAccessReview().getSpec();
        assertThat(spec.getUser()).isEqualTo("allowed-hpa-controller");
        assertThat(spec.getGroups()).containsExactly("system:serviceaccounts", "system:authenticated");
        assertThat(spec.getExtra()).isEqualTo(Map.of("authentication.kubernetes.io/pod-name", List.of("kube-controller-manager-0")));
        assertThat(kube.tokenReviews).isEmpty();
    }

    @Test
    void theAvailabilityCheckAsSystemMastersNeedsNoReview() throws Exception {
        var proxy = TestPki.client(frontProxyCa, "front-proxy-client");
        assertThat(client.get(DISCOVERY, proxy, "X-Remote-User", "system:kube-aggregator", "X-Remote-Group", "system:masters")
                .statusCode()).isEqualTo(200);
        assertThat(kube.accessReviews).isEmpty();
    }

    @Test
    void aFrontProxyCertificateWhoseNameIsNotAllowedIs401() throws Exception {
        var wrongName = TestPki.client(frontProxyCa, "not-the-front-proxy");
        JsonNode s = status(client.get(DISCOVERY, wrongName, "X-Remote-User", "allowed-admin"), 401);
        assertThat(s.get("message").asText()).contains("CN \"not-the-front-proxy\" is not among requestheader-allowed-names");
        assertThat(kube.accessReviews).isEmpty();
    }

    @Test
    void aCertificateFromAnotherCaHasItsHeadersIgnored() throws Exception {
        var forged = TestPki.client(TestPki.loadCa(pki, "other-ca"), "front-proxy-client");
        assertThat(status(client.get(DISCOVERY, forged, "X-Remote-User", "allowed-admin", "X-Remote-Group", "system:masters"), 401)
                .get("message").asText()).contains("not signed by the requestheader CA");
        // With a token as well, the token's user is the caller, not the header's.
        assertThat(client.get(DISCOVERY, forged, "X-Remote-User", "allowed-admin", "X-Remote-Group", "system:masters",
                "Authorization", "Bearer token:mallory").statusCode()).isEqualTo(403);
        assertThat(onlyAccessReview().getSpec().getUser()).isEqualTo("mallory");
    }

    @Test
    void forgedRemoteHeadersOverAPlainTokenConnectionAreIgnored() throws Exception {
        ClusterModeClient.Reply r = client.get(QUEUE, null, "Authorization", "Bearer token:eve",
                "X-Remote-User", "allowed-admin", "X-Remote-Group", "system:masters", "X-Remote-Extra-Scopes", "all");
        assertThat(r.statusCode()).isEqualTo(403);
        var spec = onlyAccessReview().getSpec();
        assertThat(spec.getUser()).isEqualTo("eve");
        assertThat(spec.getGroups()).doesNotContain("system:masters");
        assertThat(spec.getExtra()).isNullOrEmpty();
    }

    @Test
    void aCachedDecisionAvoidsASecondReview() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-cached").statusCode()).isEqualTo(200);
            assertThat(client.get(QUEUE, null, "Authorization", "Bearer token:cached-denied").statusCode()).isEqualTo(403);
        }
        assertThat(kube.tokenReviews).hasSize(2);
        assertThat(kube.accessReviews).hasSize(2);
    }

    @Test
    void failingReviewsDenyAndAreCounted() throws Exception {
        double sarErrors = Ports.counter("rwa_auth_review_failures_total", "review=\"SubjectAccessReview\"", "reason=\"error\"");
        double tokenErrors = Ports.counter("rwa_auth_review_failures_total", "review=\"TokenReview\"", "reason=\"error\"");
        kube.failing(FakeDelegation.ACCESS_REVIEWS, 500);
        assertThat(status(client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-during-outage"), 403)
                .get("message").asText()).contains("the SubjectAccessReview failed");
        kube.failing(FakeDelegation.TOKEN_REVIEWS, 503);
        assertThat(status(client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-other"), 401)
                .get("message").asText()).contains("the TokenReview failed");
        assertThat(Ports.counter("rwa_auth_review_failures_total", "review=\"SubjectAccessReview\"", "reason=\"error\""))
                .isEqualTo(sarErrors + 1);
        assertThat(Ports.counter("rwa_auth_review_failures_total", "review=\"TokenReview\"", "reason=\"error\""))
                .isEqualTo(tokenErrors + 1);
        // Failures were not cached: once kube-apiserver answers again, so does this server.
        kube.install();
        assertThat(client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-during-outage").statusCode()).isEqualTo(200);
    }

    @Test
    void aSubjectAccessReviewThatTimesOutDenies() throws Exception {
        double timeouts = Ports.counter("rwa_auth_review_failures_total", "review=\"SubjectAccessReview\"", "reason=\"timeout\"");
        kube.slowAccessReviews(8);
        assertThat(status(client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-but-slow"), 403)
                .get("message").asText()).contains("no answer within 3000 ms");
        assertThat(Ports.counter("rwa_auth_review_failures_total", "review=\"SubjectAccessReview\"", "reason=\"timeout\""))
                .isEqualTo(timeouts + 1);
    }

    @Test
    void aRotatedClientCaIsPickedUpWithoutRestart() throws Exception {
        var oldProxy = TestPki.client(frontProxyCa, "front-proxy-client");
        TestPki.Issued rotatedCa = TestPki.loadCa(pki, "front-proxy-ca-rotated");
        var newProxy = TestPki.client(rotatedCa, "front-proxy-client");
        assertThat(client.get(DISCOVERY, newProxy, "X-Remote-User", "allowed-ca-1").statusCode()).isEqualTo(401);

        kube.frontProxyCa = rotatedCa;
        assertThat(requestHeaders.runOnce(Instant.now())).isEqualTo(RequestHeaderSource.Outcome.CHANGED);
        assertThat(client.get(DISCOVERY, newProxy, "X-Remote-User", "allowed-ca-2").statusCode()).isEqualTo(200);
        assertThat(client.get(DISCOVERY, oldProxy, "X-Remote-User", "allowed-ca-3").statusCode()).isEqualTo(401);

        kube.frontProxyCa = frontProxyCa;
        assertThat(requestHeaders.runOnce(Instant.now())).isEqualTo(RequestHeaderSource.Outcome.CHANGED);
    }

    @Test
    void anUnreadableConfigMapKeepsTheLastGoodSettings() throws Exception {
        kube.failing("none", 500);
        server.getKubernetesMockServer().clearExpectations();
        assertThat(requestHeaders.runOnce(Instant.now())).isEqualTo(RequestHeaderSource.Outcome.FAILED);
        kube.install();
        var proxy = TestPki.client(frontProxyCa, "front-proxy-client");
        assertThat(client.get(DISCOVERY, proxy, "X-Remote-User", "allowed-after-failure").statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndMetricsStayOnThePlainPortWithoutAuth() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().body(containsString("front-proxy-authentication"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("rwa_tls_serving_certificate_expiry_timestamp_seconds{cluster=\"cluster-test\"}"));
        given().when().get(DISCOVERY).then().statusCode(404).body(containsString("served over TLS"));
        given().when().get("/q/health/../../apis/custom.metrics.k8s.io/v1beta1").then().statusCode(404);
    }
}
