package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Authentication and authorization as an aggregated API server does it (delegated to kube-apiserver).
 * Every key is listed with its default in the README ("Install in a cluster").
 */
@ConfigMapping(prefix = "autoscaler.auth")
public interface AuthConfig {

    /** Authenticate and authorize every request on the API port. Off in local mode and in tests. */
    @WithDefault("true")
    boolean enabled();

    /** How long a TokenReview or SubjectAccessReview answer (allowed and denied alike) is reused. */
    @WithDefault("10s")
    Duration cacheTtl();

    /** Most answers kept per cache; past it, expired ones are dropped, then the whole cache if needed. */
    @WithDefault("10000")
    int cacheMaxEntries();

    /** Longest wait for one TokenReview or SubjectAccessReview; a late or failed review denies. */
    @WithDefault("5s")
    Duration reviewTimeout();

    /** Namespace of the ConfigMap that holds the front-proxy (requestheader) client CA. */
    @WithDefault("kube-system")
    String requestheaderNamespace();

    /** Name of that ConfigMap; kube-apiserver keeps it current. */
    @WithDefault("extension-apiserver-authentication")
    String requestheaderConfigMap();

    /** How often that ConfigMap is read again, so that a rotated client CA is picked up without a restart. */
    @WithDefault("30s")
    Duration requestheaderRefresh();

    /** Users in these groups skip the SubjectAccessReview (kube-apiserver's availability check uses system:masters). */
    @WithDefault("system:masters")
    List<String> alwaysAllowGroups();

    /** Audiences a TokenReview asks for; absent = the API server's own. */
    Optional<List<String>> tokenAudiences();
}
