package io.rwautoscaler.apiserver.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewSpecBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.rwautoscaler.config.AuthConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link Reviews} through fabric8 (the service account needs system:auth-delegator). Reviews go through a client
 * of their own, derived from the shared one's configuration, that never retries and gives up after
 * {@code autoscaler.auth.review-timeout}: the shared client retries 5xx answers with backoff for a minute or
 * more, which would keep a thread busy per denied request long after the request was answered.
 */
@ApplicationScoped
public class KubeReviews implements Reviews {

    private final Instance<KubernetesClient> shared;
    private final Duration timeout;
    private volatile KubernetesClient client;

    @Inject
    public KubeReviews(Instance<KubernetesClient> shared, AuthConfig config) {
        this.shared = shared;
        this.timeout = config.reviewTimeout();
    }

    private KubernetesClient client() {
        KubernetesClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    Config config = new ConfigBuilder(shared.get().getConfiguration())
                            .withRequestRetryBackoffLimit(0)
                            .withRequestTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                            .build();
                    // The HTTP client factory is Quarkus' own (found by ServiceLoader, on Quarkus' Vert.x); fabric8's
                    // VertxHttpClientFactory must not be named here: the native image deletes it.
                    client = new KubernetesClientBuilder().withConfig(config).build();
                }
                c = client;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public TokenAnswer reviewToken(String token, List<String> audiences) {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).withAudiences(audiences).endSpec().build();
        TokenReview answer = client().tokenReviews().create(review);
        var status = answer.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
            return new TokenAnswer(false, null, status == null || status.getError() == null ? "" : status.getError());
        }
        var u = status.getUser();
        if (!audiences.isEmpty() && (status.getAudiences() == null
                || status.getAudiences().stream().noneMatch(audiences::contains))) {
            return new TokenAnswer(false, null, "token audiences " + status.getAudiences() + " do not include " + audiences);
        }
        return new TokenAnswer(true, new UserInfo(u.getUsername(), u.getUid(), u.getGroups(),
                u.getExtra() == null ? Map.of() : u.getExtra()), "");
    }

    @Override
    public AccessAnswer reviewAccess(UserInfo user, RequestAttributes a) {
        SubjectAccessReviewSpecBuilder spec = new SubjectAccessReviewSpecBuilder()
                .withUser(user.name())
                .withGroups(user.groups())
                .withExtra(user.extra().isEmpty() ? null : user.extra());
        if (!user.uid().isEmpty()) {
            spec.withUid(user.uid());
        }
        if (a.resourceRequest()) {
            spec.withResourceAttributes(new ResourceAttributesBuilder()
                    .withVerb(a.verb()).withGroup(a.group()).withVersion(a.version()).withResource(a.resource())
                    .withSubresource(emptyToNull(a.subresource())).withNamespace(emptyToNull(a.namespace()))
                    .withName(emptyToNull(a.name())).build());
        } else {
            spec.withNonResourceAttributes(new NonResourceAttributesBuilder().withPath(a.path()).withVerb(a.verb()).build());
        }
        SubjectAccessReview answer = client().authorization().v1().subjectAccessReview()
                .create(new SubjectAccessReviewBuilder().withSpec(spec.build()).build());
        var status = answer.getStatus();
        if (status == null) {
            return new AccessAnswer(false, "the SubjectAccessReview came back without a status");
        }
        String reason = status.getReason() == null ? "" : status.getReason();
        if (status.getEvaluationError() != null && !status.getEvaluationError().isEmpty()) {
            reason = reason.isEmpty() ? status.getEvaluationError() : reason + "; " + status.getEvaluationError();
        }
        // denied=true wins over allowed, as in kube's webhook authorizer.
        boolean allowed = Boolean.TRUE.equals(status.getAllowed()) && !Boolean.TRUE.equals(status.getDenied());
        return new AccessAnswer(allowed, reason);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
