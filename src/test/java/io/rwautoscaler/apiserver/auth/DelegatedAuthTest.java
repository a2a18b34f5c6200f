package io.rwautoscaler.apiserver.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rwautoscaler.apiserver.auth.DelegatedAuth.Outcome;
import io.rwautoscaler.testsupport.TestPki;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Authentication and authorization decisions with a fake kube-apiserver: failures deny, answers are cached. */
class DelegatedAuthTest {

    static final String DISCOVERY = "/apis/custom.metrics.k8s.io/v1beta1";
    static final String QUEUE = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/monitoring/pods/*/prometheus_remote_storage_queue_length";

    /** Tokens "token:<user>" are valid; users named allowed-* may do anything. Every call is recorded. */
    static class FakeApiServer implements Reviews {
        final List<String> tokenReviews = new ArrayList<>();
        final List<String> accessReviews = new ArrayList<>();
        volatile RuntimeException failure;
        volatile CountDownLatch hang;

        @Override
        public TokenAnswer reviewToken(String token, List<String> audiences) throws Exception {
            tokenReviews.add(token);
            misbehave();
            return token.startsWith("token:") ? new TokenAnswer(true, new UserInfo(token.substring(6), "", List.of("system:authenticated"), Map.of()), "")
                    : new TokenAnswer(false, null, "token unknown");
        }

        @Override
        public AccessAnswer reviewAccess(UserInfo user, RequestAttributes a) throws Exception {
            accessReviews.add(user.name() + " " + a.verb() + " " + (a.resourceRequest() ? a.resource() + "/" + a.subresource() : a.path()));
            misbehave();
            return user.name().startsWith("allowed-") ? new AccessAnswer(true, "RBAC: allowed by ClusterRoleBinding")
                    : new AccessAnswer(false, "no RBAC policy matched");
        }

        private void misbehave() throws InterruptedException {
            if (hang != null) {
                hang.await();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    final FakeApiServer api = new FakeApiServer();
    final DecisionCacheTest.MovingClock clock = new DecisionCacheTest.MovingClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TestPki.Issued ca = TestPki.ca("front-proxy-ca");
    RequestHeaderConfig requestHeaders;

    DelegatedAuth auth(Duration timeout) throws Exception {
        requestHeaders = RequestHeaderConfig.parse(RequestHeaderConfigTest.kubeadm(TestPki.pem(ca.cert())));
        return new DelegatedAuth(api, Executors.newCachedThreadPool(), clock,
                new DelegatedAuth.Settings(Duration.ofSeconds(10), 100, timeout, List.of("system:masters"), List.of()),
                () -> Optional.of(requestHeaders), registry);
    }

    static DelegatedAuth.Request token(String path, String token) {
        return new DelegatedAuth.Request("GET", path, false, List.of(), TestHeaders.of(), token);
    }

    static Outcome await(CompletableFuture<Outcome> f) {
        return f.join();
    }

    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void nothingPresentedIsUnauthenticated() throws Exception {
        Outcome o = await(auth(Duration.ofSeconds(5)).check(token(DISCOVERY, "")).toCompletableFuture());
        assertThat(o).isInstanceOf(Outcome.Unauthenticated.class);
        assertThat(api.tokenReviews).isEmpty();
        assertThat(api.accessReviews).isEmpty();
    }

    @Test
    void aValidTokenIsAuthorizedBySubjectAccessReview() throws Exception {
        var auth = auth(Duration.ofSeconds(5));
        assertThat(await(auth.check(token(QUEUE, "token:allowed-hpa")).toCompletableFuture())).isInstanceOf(Outcome.Allowed.class);
        assertThat(await(auth.check(token(QUEUE, "token:someone")).toCompletableFuture()))
                .isInstanceOfSatisfying(Outcome.Forbidden.class, f -> assertThat(f.reason()).isEqualTo("no RBAC policy matched"));
        assertThat(await(auth.check(token(QUEUE, "nonsense")).toCompletableFuture()))
                .isInstanceOfSatisfying(Outcome.Unauthenticated.class, u -> assertThat(u.reason()).contains("token unknown"));
        assertThat(api.accessReviews).containsExactly("allowed-hpa get pods/prometheus_remote_storage_queue_length",
                "someone get pods/prometheus_remote_storage_queue_length");
    }

    @Test
    void answersAreCachedForTheTtlAllowedAndDeniedAlike() throws Exception {
        var auth = auth(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            await(auth.check(token(QUEUE, "token:allowed-hpa")).toCompletableFuture());
            await(auth.check(token(QUEUE, "token:denied")).toCompletableFuture());
        }
        assertThat(api.tokenReviews).hasSize(2);
        assertThat(api.accessReviews).hasSize(2);
        clock.advance(Duration.ofSeconds(10));
        await(auth.check(token(QUEUE, "token:allowed-hpa")).toCompletableFuture());
        assertThat(api.tokenReviews).hasSize(3);
        assertThat(api.accessReviews).hasSize(3);
    }

    @Test
    void aFailingReviewDeniesIsCountedAndIsNotCached() throws Exception {
        var auth = auth(Duration.ofSeconds(5));
        api.failure = new IllegalStateException("connection refused");
        assertThat(await(auth.check(token(QUEUE, "token:allowed-x")).toCompletableFuture()))
                .isInstanceOfSatisfying(Outcome.Unauthenticated.class, u -> assertThat(u.reason()).contains("TokenReview failed"));
        assertThat(counter("rwa_auth_review_failures_total", "review", "TokenReview", "reason", "error")).isEqualTo(1);

        api.failure = null;
        await(auth.check(token(DISCOVERY, "token:allowed-y")).toCompletableFuture()); // caches the token, not the access
        api.failure = new IllegalStateException("500 Internal Server Error");
        assertThat(await(auth.check(token(QUEUE, "token:allowed-y")).toCompletableFuture()))
                .isInstanceOfSatisfying(Outcome.Forbidden.class, f -> assertThat(f.reason()).contains("SubjectAccessReview failed"));
        assertThat(counter("rwa_auth_review_failures_total", "review", "SubjectAccessReview", "reason", "error")).isEqualTo(1);
        api.failure = null;
        assertThat(await(auth.check(token(QUEUE, "token:allowed-y")).toCompletableFuture())).isInstanceOf(Outcome.Allowed.class);
    }

    @Test
    void aReviewThatHangsDeniesAfterTheTimeout() throws Exception {
        var auth = auth(Duration.ofMillis(200));
        api.hang = new CountDownLatch(1);
        try {
            assertThat(await(auth.check(token(QUEUE, "token:allowed-z")).toCompletableFuture()))
                    .isInstanceOfSatisfying(Outcome.Unauthenticated.class, u -> assertThat(u.reason()).contains("no answer within 200 ms"));
            assertThat(counter("rwa_auth_review_failures_total", "review", "TokenReview", "reason", "timeout")).isEqualTo(1);
        } finally {
            api.hang.countDown();
        }
    }

    @Test
    void theHttpClientsOwnTimeoutIsTheSameTimeoutAsOurs() throws Exception {
        // Under load the review client's request timeout (set to the same review-timeout) can fire before our deadline:
        // fabric8 wraps Vert.x' TimeoutException. It must read and count as the timeout, not as an error.
        var auth = auth(Duration.ofSeconds(5));
        await(auth.check(token(DISCOVERY, "token:allowed-slow")).toCompletableFuture()); // caches the token only
        api.failure = new io.fabric8.kubernetes.client.KubernetesClientException("An error has occurred.",
                new java.util.concurrent.TimeoutException("The timeout period of 5000ms has been exceeded while executing"
                        + " POST /apis/authorization.k8s.io/v1/subjectaccessreviews for server null"));
        assertThat(await(auth.check(token(QUEUE, "token:allowed-slow")).toCompletableFuture()))
                .isInstanceOfSatisfying(Outcome.Forbidden.class, f -> assertThat(f.reason())
                        .isEqualTo("the SubjectAccessReview failed: no answer within 5000 ms"));
        assertThat(counter("rwa_auth_review_failures_total", "review", "SubjectAccessReview", "reason", "timeout")).isEqualTo(1);
        assertThat(counter("rwa_auth_review_failures_total", "review", "SubjectAccessReview", "reason", "error")).isZero();
    }

    @Test
    void theFrontProxyNeedsNoTokenReviewAndSystemMastersNoAccessReview() throws Exception {
        var auth = auth(Duration.ofSeconds(5));
        var proxy = TestPki.client(ca, "front-proxy-client");
        var viaProxy = new DelegatedAuth.Request("GET", QUEUE, false, proxy.chain(),
                TestHeaders.of("X-Remote-User", "allowed-controller", "X-Remote-Group", "system:serviceaccounts"), "");
        assertThat(await(auth.check(viaProxy).toCompletableFuture())).isInstanceOf(Outcome.Allowed.class);
        var aggregator = new DelegatedAuth.Request("GET", DISCOVERY, false, proxy.chain(),
                TestHeaders.of("X-Remote-User", "system:kube-aggregator", "X-Remote-Group", "system:masters"), "");
        assertThat(await(auth.check(aggregator).toCompletableFuture())).isInstanceOf(Outcome.Allowed.class);
        assertThat(api.tokenReviews).isEmpty();
        assertThat(api.accessReviews).containsExactly("allowed-controller get pods/prometheus_remote_storage_queue_length");
    }

    @Test
    void forgedHeadersWithoutTheFrontProxyCertificateAreIgnored() throws Exception {
        var auth = auth(Duration.ofSeconds(5));
        var forger = TestPki.client(TestPki.ca("front-proxy-ca"), "front-proxy-client");
        var forged = new DelegatedAuth.Request("GET", QUEUE, false, forger.chain(),
                TestHeaders.of("X-Remote-User", "allowed-admin", "X-Remote-Group", "system:masters"), "");
        assertThat(await(auth.check(forged).toCompletableFuture())).isInstanceOf(Outcome.Unauthenticated.class);
        var forgedWithToken = new DelegatedAuth.Request("GET", QUEUE, false, List.of(),
                TestHeaders.of("X-Remote-User", "allowed-admin", "X-Remote-Group", "system:masters"), "token:mallory");
        assertThat(await(auth.check(forgedWithToken).toCompletableFuture()))
                .isInstanceOfSatisfying(Outcome.Forbidden.class, f -> assertThat(f.user().name()).isEqualTo("mallory"));
        assertThat(api.accessReviews).containsExactly("mallory get pods/prometheus_remote_storage_queue_length");
    }
}
