package io.rwautoscaler.apiserver.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rwautoscaler.config.AuthConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Who is calling, and may they: the front-proxy certificate with its {@code X-Remote-*} headers or a bearer token
 * (TokenReview), then a SubjectAccessReview for the request's attributes. Answers are cached for
 * {@code autoscaler.auth.cache-ttl}; a review that fails or times out denies, is counted, and is not cached.
 */
@ApplicationScoped
public class DelegatedAuth {

    private static final Logger LOG = Logger.getLogger(DelegatedAuth.class);

    /** One request, as far as authentication and authorization care. {@code bearerToken} is empty when absent. */
    public record Request(String method, String path, boolean watch, List<X509Certificate> peerChain, HeaderView headers,
                          String bearerToken) {
    }

    public sealed interface Outcome {
        record Allowed(UserInfo user) implements Outcome {
        }

        record Unauthenticated(String reason) implements Outcome {
        }

        record Forbidden(UserInfo user, RequestAttributes attributes, String reason) implements Outcome {
        }
    }

    /** What the cache of access answers is keyed on. */
    record AccessKey(UserInfo user, RequestAttributes attributes) {
    }

    public record Settings(Duration cacheTtl, int cacheMaxEntries, Duration reviewTimeout, List<String> alwaysAllowGroups,
                           List<String> tokenAudiences) {
        static Settings of(AuthConfig c) {
            return new Settings(c.cacheTtl(), c.cacheMaxEntries(), c.reviewTimeout(), c.alwaysAllowGroups(),
                    c.tokenAudiences().orElse(List.of()));
        }
    }

    private final Reviews reviews;
    private final Executor executor;
    private final Clock clock;
    private final Settings settings;
    private final Supplier<Optional<RequestHeaderConfig>> requestHeaders;
    private final MeterRegistry registry;
    private final DecisionCache<String, Reviews.TokenAnswer> tokens;
    private final DecisionCache<AccessKey, Reviews.AccessAnswer> access;

    /** Reviews in flight at once, and waiting; past that a request is denied at once rather than queued for long. */
    static final int REVIEW_THREADS = 8;
    static final int REVIEW_QUEUE = 512;

    @Inject
    public DelegatedAuth(AuthConfig config, Reviews reviews, Clock clock, MeterRegistry registry, RequestHeaderSource source) {
        this(reviews, reviewExecutor(), clock, Settings.of(config), source::current, registry);
    }

    /** Its own bounded pool, so a slow kube-apiserver cannot take the worker threads the rest of the service needs. */
    private static ExecutorService reviewExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(REVIEW_THREADS, REVIEW_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(REVIEW_QUEUE), r -> {
            Thread t = new Thread(r, "rwa-auth-review-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @PreDestroy
    void shutdown() {
        if (executor instanceof ExecutorService pool) {
            pool.shutdownNow();
        }
    }

    public DelegatedAuth(Reviews reviews, Executor executor, Clock clock, Settings settings,
                         Supplier<Optional<RequestHeaderConfig>> requestHeaders, MeterRegistry registry) {
        this.reviews = reviews;
        this.executor = executor;
        this.clock = clock;
        this.settings = settings;
        this.requestHeaders = requestHeaders;
        this.registry = registry;
        this.tokens = new DecisionCache<>(clock, settings.cacheTtl(), settings.cacheMaxEntries());
        this.access = new DecisionCache<>(clock, settings.cacheTtl(), settings.cacheMaxEntries());
    }

    /** Completes at once on a cache hit or a front-proxy identity; otherwise after a review on a worker thread. */
    public CompletionStage<Outcome> check(Request r) {
        RequestAttributes attributes = RequestAttributes.of(r.method(), r.path(), r.watch());
        var frontProxy = FrontProxyAuthenticator.authenticate(requestHeaders.get().orElse(null), r.peerChain(), r.headers(),
                clock.instant());
        if (frontProxy instanceof FrontProxyAuthenticator.Result.Authenticated a) {
            authentication("front-proxy", "success");
            return authorize(a.user(), attributes);
        }
        String certificateProblem = "";
        if (frontProxy instanceof FrontProxyAuthenticator.Result.Rejected rejected) {
            authentication("front-proxy", "failure");
            certificateProblem = rejected.reason();
            LOG.debugf("front-proxy authentication failed for %s: %s", r.path(), certificateProblem);
        }
        if (!r.bearerToken().isEmpty()) {
            String problem = certificateProblem;
            return authenticateToken(r.bearerToken()).thenCompose(outcome -> {
                if (outcome instanceof Outcome.Allowed allowed) {
                    return authorize(allowed.user(), attributes);
                }
                return CompletableFuture.completedFuture(problem.isEmpty() ? outcome
                        : new Outcome.Unauthenticated(((Outcome.Unauthenticated) outcome).reason() + "; " + problem));
            });
        }
        return CompletableFuture.completedFuture(new Outcome.Unauthenticated(certificateProblem.isEmpty()
                ? "no front-proxy client certificate and no bearer token" : certificateProblem));
    }

    /** Allowed carries the user the token belongs to; Unauthenticated says why not. */
    private CompletionStage<Outcome> authenticateToken(String token) {
        String key = sha256(token + "\n" + String.join(",", settings.tokenAudiences()));
        Optional<Reviews.TokenAnswer> cached = tokens.get(key);
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(tokenOutcome(cached.get()));
        }
        return review("TokenReview", () -> reviews.reviewToken(token, settings.tokenAudiences())).handle((answer, error) -> {
            if (error != null) {
                authentication("token", "error");
                return new Outcome.Unauthenticated("the TokenReview failed: " + describe(error));
            }
            tokens.put(key, answer);
            return tokenOutcome(answer);
        });
    }

    private Outcome tokenOutcome(Reviews.TokenAnswer answer) {
        authentication("token", answer.authenticated() ? "success" : "failure");
        return answer.authenticated() ? new Outcome.Allowed(answer.user())
                : new Outcome.Unauthenticated("invalid bearer token" + (answer.error().isEmpty() ? "" : ": " + answer.error()));
    }

    private CompletionStage<Outcome> authorize(UserInfo user, RequestAttributes attributes) {
        if (user.groups().stream().anyMatch(settings.alwaysAllowGroups()::contains)) {
            authorization("allowed");
            return CompletableFuture.completedFuture(new Outcome.Allowed(user));
        }
        AccessKey key = new AccessKey(user, attributes.forReview());
        Optional<Reviews.AccessAnswer> cached = access.get(key);
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(accessOutcome(user, attributes, cached.get()));
        }
        return review("SubjectAccessReview", () -> reviews.reviewAccess(user, key.attributes())).handle((answer, error) -> {
            if (error != null) {
                authorization("error");
                LOG.warnf("SubjectAccessReview for user %s to %s failed, denying: %s", user.name(), attributes.describe(),
                        describe(error));
                return new Outcome.Forbidden(user, attributes, "the SubjectAccessReview failed: " + describe(error));
            }
            access.put(key, answer);
            return accessOutcome(user, attributes, answer);
        });
    }

    private Outcome accessOutcome(UserInfo user, RequestAttributes attributes, Reviews.AccessAnswer answer) {
        authorization(answer.allowed() ? "allowed" : "denied");
        return answer.allowed() ? new Outcome.Allowed(user) : new Outcome.Forbidden(user, attributes, answer.reason());
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private <T> CompletableFuture<T> review(String kind, Call<T> call) {
        Counter.builder("rwa_auth_reviews_total").description("TokenReview and SubjectAccessReview calls to kube-apiserver")
                .tag("review", kind).register(registry).increment();
        CompletableFuture<T> started;
        try {
            started = CompletableFuture.supplyAsync(() -> {
                try {
                    return call.call();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.orTimeout(settings.reviewTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                String reason = timedOut(cause) ? "timeout"
                        : cause instanceof RejectedExecutionException ? "overload" : "error";
                Counter.builder("rwa_auth_review_failures_total")
                        .description("Reviews that failed, timed out or found too many in flight; each one denied its request")
                        .tag("review", kind).tag("reason", reason).register(registry).increment();
            }
        });
    }

    private void authentication(String method, String result) {
        Counter.builder("rwa_auth_authentications_total").description("Authentication attempts by method and result")
                .tag("method", method).tag("result", result).register(registry).increment();
    }

    private void authorization(String decision) {
        Counter.builder("rwa_auth_authorizations_total").description("Authorization decisions (cached ones included)")
                .tag("decision", decision).register(registry).increment();
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Our deadline ({@code orTimeout}) or the HTTP client's own request timeout (Vert.x' NoStackTraceTimeoutException
     * inside fabric8's KubernetesClientException): both are set to the review timeout and race under load, so either
     * one is the same timeout, with the same message and counter reason.
     */
    static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException
                    || c instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private String describe(Throwable error) {
        Throwable cause = unwrap(error);
        if (timedOut(cause)) {
            return "no answer within " + settings.reviewTimeout().toMillis() + " ms";
        }
        if (cause instanceof RejectedExecutionException) {
            return "too many reviews in flight";
        }
        String m = cause.getMessage();
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != cause && root.getMessage() != null) {
            m = (m == null ? "" : m + " ") + "(" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return cause.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 300 ? m.substring(0, 300) + "…" : m));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
