package io.rwautoscaler.prometheus;

import io.rwautoscaler.config.ConfigProblems;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.PrometheusConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Instant and range queries against Prometheus or Thanos Query, over plain HTTP(S). URLs are tried in order;
 * a bad query fails at once, anything else moves on to the next URL.
 */
@io.quarkus.runtime.Startup(1)
@ApplicationScoped
public class PrometheusClient {

    private static final Logger LOG = Logger.getLogger(PrometheusClient.class);

    private final PrometheusConfig config;
    private final HttpClient http;
    private final PrometheusResponseParser parser;
    private final RangeMatrixParser matrixParser;
    private final MeterRegistry registry;
    private final Counter warnings;
    private final int maxSeries;

    /** With the default series limit ({@code autoscaler.metrics.max-series}). */
    public PrometheusClient(PrometheusConfig config, ObjectMapper mapper, MeterRegistry registry) {
        this(config, mapper, registry, DEFAULT_MAX_SERIES);
    }

    static final int DEFAULT_MAX_SERIES = 50_000;

    @Inject
    public PrometheusClient(PrometheusConfig config, MetricsConfig metrics, ObjectMapper mapper, MeterRegistry registry) {
        this(config, mapper, registry, metrics.maxSeries());
    }

    public PrometheusClient(PrometheusConfig config, ObjectMapper mapper, MeterRegistry registry, int maxSeries) {
        if (maxSeries < 1) {
            throw ConfigProblems.invalid(SeriesLimitException.KEY, "must be at least 1");
        }
        if (config.maxResponseBytes() < 1024) {
            throw ConfigProblems.invalid("autoscaler.prometheus.max-response-bytes", "must be at least 1024");
        }
        this.maxSeries = maxSeries;
        for (URI u : config.url()) {
            if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
                throw ConfigProblems.invalid("autoscaler.prometheus.url", "'" + u
                        + "' is not an absolute http(s) URL (e.g. http://prometheus.monitoring:9090)");
            }
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            throw ConfigProblems.invalid("autoscaler.prometheus.timeout", "must be longer than 0s");
        }
        this.config = config;
        this.registry = registry;
        this.parser = new PrometheusResponseParser(mapper.getFactory());
        this.matrixParser = new RangeMatrixParser(mapper.getFactory());
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(config.timeout()).version(HttpClient.Version.HTTP_1_1);
        if (config.caFile().isPresent()) {
            b.sslContext(sslContext(config.caFile().get()));
        } else if (config.url().stream().noneMatch(u -> "https".equalsIgnoreCase(u.getScheme()))) {
            // Plain http only: no TLS handshake will ever happen, so do not let the client load the JCA providers,
            // JSSE and the JDK's trusted CAs (about 0.5 s of start-up here). This context refuses TLS altogether.
            b.sslContext(new PlainHttpOnly());
        }
        this.http = b.build();
        this.warnings = Counter.builder("rwa_prometheus_query_warnings")
                .description("Warnings in Prometheus/Thanos query responses (e.g. partial responses)")
                .register(registry);
    }

    public QueryResult query(String promql) {
        return call("/api/v1/query", Map.of("query", promql));
    }

    /** Instant query evaluated at {@code at}. */
    public QueryResult query(String promql, Instant at) {
        return call("/api/v1/query", Map.of("query", promql, "time", seconds(at)));
    }

    public QueryResult queryRange(String promql, Instant start, Instant end, Duration step) {
        return call("/api/v1/query_range", rangeParams(promql, start, end, step), config.timeout(),
                (body, uri) -> parser.parse(body, uri, maxSeries), QueryResult::warnings);
    }

    /**
     * A range query for large answers, read into primitive arrays (see {@link RangeMatrix}), with its own timeout
     * for both the HTTP request and Prometheus' evaluation ({@code timeout} parameter): reading a week of usage
     * legitimately takes longer than the metrics refresh's queries.
     */
    public RangeMatrix queryRangeMatrix(String promql, Instant start, Instant end, Duration step, Duration timeout) {
        Map<String, String> p = rangeParams(promql, start, end, step);
        p.put("timeout", duration(timeout));
        return call("/api/v1/query_range", p, timeout, (body, uri) -> matrixParser.parse(body, uri, maxSeries),
                RangeMatrix::warnings);
    }

    private static Map<String, String> rangeParams(String promql, Instant start, Instant end, Duration step) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("query", promql);
        p.put("start", seconds(start));
        p.put("end", seconds(end));
        p.put("step", duration(step));
        return p;
    }

    private static String duration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : (d.toMillis() / 1000.0) + "s";
    }

    private static String seconds(Instant t) {
        return t.getNano() == 0 ? Long.toString(t.getEpochSecond())
                : java.math.BigDecimal.valueOf(t.getEpochSecond()).add(java.math.BigDecimal.valueOf(t.getNano(), 9)).toPlainString();
    }

    private QueryResult call(String path, Map<String, String> params) {
        return call(path, params, config.timeout(), (body, uri) -> parser.parse(body, uri, maxSeries), QueryResult::warnings);
    }

    /** How an answer's body becomes a result. */
    private interface BodyReader<T> {
        T read(java.io.InputStream body, URI servedBy);
    }

    private <T> T call(String path, Map<String, String> params, Duration timeout, BodyReader<T> reader,
                       java.util.function.Function<T, List<String>> warningsOf) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (config.flavor() == PrometheusConfig.Flavor.THANOS) {
            all.put("dedup", Boolean.toString(config.dedup()));
            all.put("partial_response", Boolean.toString(config.partialResponse()));
        }
        String form = all.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        PrometheusException last = null;
        for (URI base : config.url()) {
            URI uri = resolve(base, path);
            try {
                T r = send(uri, form, timeout, reader);
                count(base, "success");
                List<String> w = warningsOf.apply(r);
                if (!w.isEmpty()) {
                    warnings.increment(w.size());
                    LOG.warnf("Prometheus %s returned warnings for %s: %s", base, params.get("query"), w);
                }
                return r;
            } catch (PrometheusException e) {
                count(base, e.reason().name().toLowerCase(java.util.Locale.ROOT));
                last = e;
                if (!e.retryable()) {
                    throw e;
                }
                LOG.debugf("Prometheus %s failed (%s), trying the next URL if any", base, e.getMessage());
            }
        }
        throw last;
    }

    private void count(URI base, String outcome) {
        registry.counter("rwa_prometheus_requests", "url", base.toString(), "outcome", outcome).increment();
    }

    private static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
    }

    private <T> T send(URI uri, String form, Duration timeout, BodyReader<T> reader) {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        bearerToken().ifPresent(t -> req.header("Authorization", "Bearer " + t));
        HttpResponse<Body> resp;
        try {
            resp = http.send(req.build(), bounded(config.maxResponseBytes()));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new PrometheusException(PrometheusException.Reason.UNREACHABLE, "cannot connect to " + uri + ": " + describe(e), e);
        } catch (HttpTimeoutException e) {
            throw new PrometheusException(PrometheusException.Reason.TIMEOUT,
                    "no answer from " + uri + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            if (e instanceof ResponseTooLarge || e.getCause() instanceof ResponseTooLarge) {
                throw tooLarge(uri, e);
            }
            throw new PrometheusException(PrometheusException.Reason.UNREACHABLE, "request to " + uri + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException(PrometheusException.Reason.UNREACHABLE, "interrupted while querying " + uri, e);
        }
        if (resp.body() == null) {
            throw tooLarge(uri, null); // refused by its Content-Length, unread
        }
        int status = resp.statusCode();
        if (status == 401 || status == 403) {
            throw new PrometheusException(PrometheusException.Reason.SERVER_ERROR,
                    uri + " answered HTTP " + status + ": check autoscaler.prometheus.bearer-token-file");
        }
        // Prometheus answers errors with a JSON body (bad_data on 400/422); a proxy in front may answer in HTML.
        if (!resp.body().looksLikeJson()) {
            throw new PrometheusException(status >= 500 ? PrometheusException.Reason.SERVER_ERROR
                    : PrometheusException.Reason.BAD_RESPONSE, uri + " answered HTTP " + status + " without a JSON body");
        }
        T r = reader.read(resp.body().stream(), uri);
        if (status >= 400) {
            throw new PrometheusException(PrometheusException.Reason.SERVER_ERROR, uri + " answered HTTP " + status);
        }
        return r;
    }

    private PrometheusException tooLarge(URI uri, Throwable cause) {
        return new PrometheusException(PrometheusException.Reason.TOO_LARGE, uri + " answered more than "
                + config.maxResponseBytes() + " bytes (autoscaler.prometheus.max-response-bytes): add matchers to the "
                + "query, or raise the limit together with the memory limit", cause);
    }

    /** Thrown inside the body subscriber when an answer passes the size limit; the connection is then dropped. */
    private static final class ResponseTooLarge extends IOException {
        ResponseTooLarge(long limit) {
            super("answer larger than " + limit + " bytes");
        }
    }

    /**
     * An answer's bytes as the chunks they arrived in: parsed straight from them, so a large answer is held once,
     * not also in a growing buffer and its copy (at 100,000 series that was ~50 MB more at the peak of a refresh).
     */
    static final class Body {
        private final List<byte[]> chunks;

        Body(List<byte[]> chunks) {
            this.chunks = chunks;
        }

        java.io.InputStream stream() {
            return new java.io.SequenceInputStream(java.util.Collections.enumeration(
                    chunks.stream().map(c -> (java.io.InputStream) new java.io.ByteArrayInputStream(c)).toList()));
        }

        boolean looksLikeJson() {
            for (byte[] c : chunks) {
                for (byte b : c) {
                    if (!Character.isWhitespace(b)) {
                        return b == '{';
                    }
                }
            }
            return false;
        }
    }

    /** Reads the body as chunks, failing as soon as it passes {@code limit} bytes (also by Content-Length). */
    private static HttpResponse.BodyHandler<Body> bounded(long limit) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > limit) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            return new BoundedBody(limit);
        };
    }

    private static final class BoundedBody implements HttpResponse.BodySubscriber<Body> {
        private final long limit;
        private final List<byte[]> chunks = new java.util.ArrayList<>();
        private long size;
        private final java.util.concurrent.CompletableFuture<Body> result = new java.util.concurrent.CompletableFuture<>();
        private java.util.concurrent.Flow.Subscription subscription;

        BoundedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public java.util.concurrent.CompletionStage<Body> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            for (java.nio.ByteBuffer b : items) {
                if (size + (long) b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new ResponseTooLarge(limit));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                size += chunk.length;
                chunks.add(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(new Body(chunks));
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private java.util.Optional<String> bearerToken() {
        return config.bearerTokenFile().map(p -> {
            try {
                return Files.readString(p).trim();
            } catch (IOException e) {
                throw new PrometheusException(PrometheusException.Reason.UNREACHABLE,
                        "cannot read autoscaler.prometheus.bearer-token-file " + p + ": " + describe(e), e);
            }
        });
    }

    private static SSLContext sslContext(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("autoscaler.prometheus.ca-file " + caFile + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("autoscaler.prometheus.ca-file " + caFile + " is unusable: " + describe(e), e);
        }
    }

    /** The TLS context the HTTP client was built with (tests). */
    SSLContext tlsContext() {
        return http.sslContext();
    }

    List<URI> urls() {
        return config.url();
    }
}
