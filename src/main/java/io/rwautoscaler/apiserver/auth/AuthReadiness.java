package io.rwautoscaler.apiserver.auth;

import io.rwautoscaler.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the front-proxy settings have been read once: until then kube-apiserver's proxied requests
 * (the HPA's) would all get 401. Later read failures keep the last settings and do not flip readiness.
 */
@Readiness
@ApplicationScoped
public class AuthReadiness implements HealthCheck {

    @Inject
    AuthConfig config;
    @Inject
    RequestHeaderSource source;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("front-proxy-authentication");
        if (!config.enabled()) {
            return b.up().withData("auth", "off").build();
        }
        var current = source.current();
        if (current.isEmpty()) {
            return b.down().withData("reason", source.lastError().orElse("not read yet")).build();
        }
        b.up().withData("source", source.source())
                .withData("front-proxy", current.get().frontProxyEnabled() ? "on" : "off: no requestheader client CA");
        source.lastError().ifPresent(e -> b.withData("last-refresh-error", e));
        return b.build();
    }
}
