package io.rwautoscaler.apiserver.auth;

import java.util.List;

/**
 * The two questions delegated to kube-apiserver. Both block (they are HTTP calls) and may throw; the caller runs
 * them off the event loop, bounds them by a timeout and treats any failure as a denial.
 */
public interface Reviews {

    /** TokenReview (authentication.k8s.io/v1). */
    TokenAnswer reviewToken(String token, List<String> audiences) throws Exception;

    /** SubjectAccessReview (authorization.k8s.io/v1). */
    AccessAnswer reviewAccess(UserInfo user, RequestAttributes attributes) throws Exception;

    /** {@code user} is set only when {@code authenticated}. */
    record TokenAnswer(boolean authenticated, UserInfo user, String error) {
    }

    /** Allowed, or not, with the authorizer's reason (shown in the 403). */
    record AccessAnswer(boolean allowed, String reason) {
    }
}
