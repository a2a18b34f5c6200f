package io.rwautoscaler.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.utils.ResponseProvider;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.rwautoscaler.testsupport.TestPki;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * kube-apiserver's side of delegation, on the mock server: the requestheader ConfigMap, TokenReviews (token
 * {@code token:<user>} is that user, in group team-a) and SubjectAccessReviews (users named {@code allowed-*} may
 * do anything). Every review is recorded; failures and delays can be switched on.
 */
final class FakeDelegation {

    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    static final String CONFIG_MAP = "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication";

    final List<TokenReview> tokenReviews = new CopyOnWriteArrayList<>();
    final List<SubjectAccessReview> accessReviews = new CopyOnWriteArrayList<>();
    private final KubernetesServer server;
    volatile TestPki.Issued frontProxyCa;
    volatile List<String> allowedNames = List.of("front-proxy-client");

    FakeDelegation(KubernetesServer server, TestPki.Issued frontProxyCa) {
        this.server = server;
        this.frontProxyCa = frontProxyCa;
    }

    /** Clears everything and answers normally. */
    FakeDelegation install() {
        server.getKubernetesMockServer().clearExpectations();
        server.expect().get().withPath(CONFIG_MAP).andReply(200, r -> configMap()).always();
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(reply(201, this::tokenReview)).always();
        server.expect().post().withPath(ACCESS_REVIEWS).andReply(reply(201, this::accessReview)).always();
        return this;
    }

    /** Reviews of this kind answer with an HTTP error. */
    void failing(String path, int code) {
        server.getKubernetesMockServer().clearExpectations();
        server.expect().get().withPath(CONFIG_MAP).andReply(200, r -> configMap()).always();
        for (String p : List.of(TOKEN_REVIEWS, ACCESS_REVIEWS)) {
            if (p.equals(path)) {
                server.expect().post().withPath(p).andReply(reply(code, r -> Map.of("kind", "Status", "apiVersion", "v1",
                        "status", "Failure", "code", code, "message", "etcdserver: request timed out"))).always();
            } else {
                server.expect().post().withPath(p).andReply(reply(201, p.equals(TOKEN_REVIEWS) ? this::tokenReview : this::accessReview)).always();
            }
        }
    }

    /** SubjectAccessReviews answer only after {@code seconds}. */
    void slowAccessReviews(long seconds) {
        server.getKubernetesMockServer().clearExpectations();
        server.expect().get().withPath(CONFIG_MAP).andReply(200, r -> configMap()).always();
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(reply(201, this::tokenReview)).always();
        server.expect().post().delay(seconds, TimeUnit.SECONDS).withPath(ACCESS_REVIEWS).andReply(reply(201, this::accessReview)).always();
    }

    Object configMap() {
        return new ConfigMapBuilder().withNewMetadata().withName("extension-apiserver-authentication").withNamespace("kube-system")
                .endMetadata().withData(Map.of(
                        "requestheader-client-ca-file", TestPki.pem(frontProxyCa.cert()),
                        "requestheader-allowed-names", Serialization.asJson(allowedNames),
                        "requestheader-username-headers", "[\"X-Remote-User\"]",
                        "requestheader-group-headers", "[\"X-Remote-Group\"]",
                        "requestheader-extra-headers-prefix", "[\"X-Remote-Extra-\"]")).build();
    }

    private Object tokenReview(RecordedRequest r) {
        TokenReview review = Serialization.unmarshal(r.getBody().readUtf8(), TokenReview.class);
        tokenReviews.add(review);
        String token = review.getSpec().getToken();
        review.setStatus(token.startsWith("token:")
                ? new TokenReviewStatusBuilder().withAuthenticated(true).withUser(new UserInfoBuilder()
                .withUsername(token.substring(6)).withUid("uid-" + token.substring(6))
                .withGroups("team-a", "system:authenticated").build()).build()
                : new TokenReviewStatusBuilder().withAuthenticated(false).withError("invalid bearer token").build());
        return review;
    }

    private Object accessReview(RecordedRequest r) {
        SubjectAccessReview review = Serialization.unmarshal(r.getBody().readUtf8(), SubjectAccessReview.class);
        accessReviews.add(review);
        boolean allowed = review.getSpec().getUser().startsWith("allowed-");
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed)
                .withReason(allowed ? "RBAC: allowed by ClusterRoleBinding \"hpa\"" : "").build());
        return review;
    }

    private static ResponseProvider<Object> reply(int code, Function<RecordedRequest, Object> body) {
        return new ResponseProvider<>() {
            private Headers headers = Headers.builder().build();

            @Override
            public int getStatusCode(RecordedRequest request) {
                return code;
            }

            @Override
            public Object getBody(RecordedRequest request) {
                return body.apply(request);
            }

            @Override
            public Headers getHeaders() {
                return headers;
            }

            @Override
            public void setHeaders(Headers h) {
                headers = h;
            }
        };
    }
}
