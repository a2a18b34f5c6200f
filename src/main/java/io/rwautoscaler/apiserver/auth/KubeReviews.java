package io.rwautoscaler.apiserver.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/** {@link Reviews} through the fabric8 client: the service account needs system:auth-delegator. */
@ApplicationScoped
public class KubeReviews implements Reviews {

    private final Instance<KubernetesClient> client;

    @Inject
    public KubeReviews(Instance<KubernetesClient> client) {
        this.client = client;
    }

    @Override
    public TokenAnswer reviewToken(String token, List<String> audiences) {
        TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).withAudiences(audiences).endSpec().build();
        TokenReview answer = client.get().tokenReviews().create(review);
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
        SubjectAccessReview answer = client.get().authorization().v1().subjectAccessReview()
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
