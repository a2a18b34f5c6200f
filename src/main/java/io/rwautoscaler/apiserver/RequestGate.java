package io.rwautoscaler.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.rwautoscaler.apiserver.auth.DelegatedAuth;
import io.rwautoscaler.apiserver.auth.FrontProxyAuthenticator;
import io.rwautoscaler.apiserver.auth.HeaderView;
import io.rwautoscaler.apiserver.auth.RequestHeaderSource;
import io.rwautoscaler.config.AuthConfig;
import io.rwautoscaler.config.TlsConfig;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * In front of every route of the main router. With TLS on, the plain port answers only health and
 * {@code /q/metrics} (probes and scrapes) and everything on the TLS port is authenticated and authorized
 * ({@link DelegatedAuth}) before any resource runs. 401 and 403 leave as meta/v1 Status JSON; the front-proxy
 * identity headers never reach a resource.
 */
@ApplicationScoped
public class RequestGate {

    private static final Logger LOG = Logger.getLogger(RequestGate.class);
    /** Before Quarkus' own filters (CORS at 300 and the like), so nothing runs for an unauthenticated caller. */
    static final int PRIORITY = 10_000;

    @Inject
    TlsConfig tls;
    @Inject
    AuthConfig auth;
    @Inject
    Instance<DelegatedAuth> delegatedAuth;
    @Inject
    RequestHeaderSource requestHeaders;
    @Inject
    ObjectMapper json;
    @Inject
    RequestLimits limits;

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    /** Health, liveness, readiness, start-up, and the Prometheus scrape: what the plain management port serves. */
    static boolean managementPath(String path) {
        return path.equals("/q/metrics") || path.equals("/q/health") || path.startsWith("/q/health/");
    }

    void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        RequestLimits.Refusal refusal = limits.check(req);
        if (refusal != null) {
            fail(rc, refusal.code(), refusal.message());
            return;
        }
        String path = rc.normalizedPath();
        if (tls.enabled() && !req.isSSL()) {
            if (managementPath(path)) {
                rc.next();
            } else {
                fail(rc, 404, "this port serves only /q/health and /q/metrics; the API is served over TLS");
            }
            return;
        }
        if (!auth.enabled()) {
            rc.next();
            return;
        }
        var config = requestHeaders.current().orElse(null);
        HeaderView headers = view(req.headers());
        DelegatedAuth.Request request = new DelegatedAuth.Request(req.method().name(), path,
                "true".equals(req.getParam("watch")) || "1".equals(req.getParam("watch")),
                peerChain(req), headers, bearer(req.headers().get("Authorization")));
        var outcome = delegatedAuth.get().check(request).toCompletableFuture();
        // Read above; from here on no resource can see (or be fooled by) a front-proxy header.
        for (String name : FrontProxyAuthenticator.headersToStrip(config, headers)) {
            req.headers().remove(name);
        }
        if (outcome.isDone()) {
            proceed(rc, outcome.join());
            return;
        }
        Context context = Vertx.currentContext();
        req.pause();
        outcome.whenComplete((result, error) -> context.runOnContext(v -> {
            if (rc.response().ended() || rc.response().closed()) {
                return;
            }
            req.resume();
            if (error != null) {
                LOG.error("authentication failed unexpectedly", error);
                fail(rc, 500, "internal error while authenticating (see the server log)");
            } else {
                proceed(rc, result);
            }
        }));
    }

    private void proceed(RoutingContext rc, DelegatedAuth.Outcome outcome) {
        if (outcome instanceof DelegatedAuth.Outcome.Allowed) {
            rc.next();
        } else if (outcome instanceof DelegatedAuth.Outcome.Unauthenticated u) {
            fail(rc, 401, "Unauthorized: " + u.reason());
        } else if (outcome instanceof DelegatedAuth.Outcome.Forbidden f) {
            String why = f.reason() == null || f.reason().isEmpty() ? "" : ": " + f.reason();
            fail(rc, 403, "forbidden: User \"" + f.user().name() + "\" cannot " + f.attributes().describe() + why);
        }
    }

    private void fail(RoutingContext rc, int code, String message) {
        StatusMappers.write(rc, json, code, message);
    }

    static String bearer(String authorization) {
        if (authorization == null) {
            return "";
        }
        String a = authorization.strip();
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? a.substring(7).strip() : "";
    }

    static List<X509Certificate> peerChain(HttpServerRequest req) {
        if (!req.isSSL()) {
            return List.of();
        }
        SSLSession session = req.sslSession();
        if (session == null) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    static HeaderView view(MultiMap headers) {
        return new HeaderView() {
            @Override
            public List<String> all(String name) {
                return headers.getAll(name);
            }

            @Override
            public Set<String> names() {
                return new LinkedHashSet<>(headers.names());
            }
        };
    }
}
