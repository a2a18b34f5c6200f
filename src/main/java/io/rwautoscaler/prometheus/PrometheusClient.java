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
public class PrometheusClient implements Prometheus {

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

    static final int DEFAULT_MAX_SERIES = 100_000;

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
        // Every URL's outcomes exist from start-up at 0 (issue 14 item 5): rate() and increase() see the first failure.
        for (URI u : config.url()) {
            counter(u, "success");
            for (PrometheusException.Reason r : PrometheusException.Reason.values()) {
                counter(u, r.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    @Override
    public QueryResult query(String promql) {
        return call("/api/v1/query", Map.of("query", promql));
    }

    /** Instant query evaluated at {@code at}. */
    @Override
    public QueryResult query(String promql, Instant at) {
        return call("/api/v1/query", Map.of("query", promql, "time", seconds(at)));
    }

    @Override
    public QueryResult queryRange(String promql, Instant start, Instant end, Duration step) {
        return call("/api/v1/query_range", rangeParams(promql, start, end, step), config.timeout(),
                (body, uri) -> parser.parse(body, uri, maxSeries), QueryResult::warnings);
    }

    /**
     * A range query for large answers, read into primitive arrays (see {@link RangeMatrix}), with its own timeout
     * for both the HTTP request and Prometheus' evaluation ({@code timeout} parameter): reading a week of usage
     * legitimately takes longer than the metrics refresh's queries.
     */
    @Override
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
        counter(base, outcome).increment();
    }

    private Counter counter(URI base, String outcome) {
        return registry.counter("rwa_prometheus_requests", "url", base.toString(), "outcome", outcome);
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
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(req.build(), streamed(uri, config.maxResponseBytes(), timeout));
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new PrometheusException(PrometheusException.Reason.UNREACHABLE, "cannot connect to " + uri + ": " + describe(e), e);
        } catch (HttpTimeoutException e) {
            throw new PrometheusException(PrometheusException.Reason.TIMEOUT,
                    "no answer from " + uri + " within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new PrometheusException(PrometheusException.Reason.UNREACHABLE, "request to " + uri + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException(PrometheusException.Reason.UNREACHABLE, "interrupted while querying " + uri, e);
        }
        if (resp.body() == null) {
            throw tooLarge(uri, null); // refused by its Content-Length, unread
        }
        try (InputStream body = resp.body()) {
            int status = resp.statusCode();
            if (status == 401 || status == 403) {
                throw new PrometheusException(PrometheusException.Reason.SERVER_ERROR,
                        uri + " answered HTTP " + status + ": check autoscaler.prometheus.bearer-token-file");
            }
            // Prometheus answers errors with a JSON body (bad_data on 400/422); a proxy in front may answer in HTML.
            java.io.PushbackInputStream json = new java.io.PushbackInputStream(body, 1);
            if (!startsLikeJson(json)) {
                throw new PrometheusException(status >= 500 ? PrometheusException.Reason.SERVER_ERROR
                        : PrometheusException.Reason.BAD_RESPONSE, uri + " answered HTTP " + status + " without a JSON body");
            }
            T r = reader.read(json, uri);
            if (status >= 400) {
                throw new PrometheusException(PrometheusException.Reason.SERVER_ERROR, uri + " answered HTTP " + status);
            }
            return r;
        } catch (IOException e) {
            throw new PrometheusException(PrometheusException.Reason.UNREACHABLE, "reading the answer of " + uri + " failed: " + describe(e), e);
        }
    }

    /** Skips leading whitespace; true when the first other byte is '{' (which is pushed back for the parser). */
    private static boolean startsLikeJson(java.io.PushbackInputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b != -1 && Character.isWhitespace(b));
        if (b == -1) {
            return false;
        }
        in.unread(b);
        return b == '{';
    }

    private PrometheusException tooLarge(URI uri, Throwable cause) {
        return new PrometheusException(PrometheusException.Reason.TOO_LARGE, uri + " answered more than "
                + config.maxResponseBytes() + " bytes (autoscaler.prometheus.max-response-bytes): add matchers to the "
                + "query, or raise the limit together with the memory limit", cause);
    }

    /**
     * The answer as a stream, parsed while it arrives: a 100,000-series answer is ~21 MB of JSON, and holding it
     * whole (twice per rule: the value and the timestamp query run at once) is what pushed a refresh past a 128 MiB
     * heap. Refused unread when its Content-Length is over {@code limit}; fails while streaming past it.
     */
    private static HttpResponse.BodyHandler<InputStream> streamed(URI uri, long limit, Duration timeout) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > limit) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            return new StreamedBody(uri, limit, timeout);
        };
    }

    /**
     * A body subscriber that is also the {@link InputStream} the parser reads: it asks the client for one batch of
     * buffers at a time (so at most a batch is held), counts the bytes against the size limit, and waits at most
     * {@code timeout} for each next batch (the client's request timeout stops at the response head; a server that
     * stalls in the middle of the body must not stall a refresh for ever). Its failures are
     * {@link PrometheusException}s: TOO_LARGE past the limit, TIMEOUT on a stall, UNREACHABLE on a broken connection.
     */
    static final class StreamedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
        private static final Object END = new Object();

        private final URI uri;
        private final long limit;
        private final Duration timeout;
        private final java.util.concurrent.LinkedBlockingQueue<Object> arrived = new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.concurrent.CompletableFuture<java.util.concurrent.Flow.Subscription> subscribed =
                new java.util.concurrent.CompletableFuture<>();
        private java.util.Iterator<java.nio.ByteBuffer> batch = java.util.Collections.emptyIterator();
        private java.nio.ByteBuffer current;
        private long size;
        private boolean ended;
        private volatile boolean closed;

        StreamedBody(URI uri, long limit, Duration timeout) {
            this.uri = uri;
            this.limit = limit;
            this.timeout = timeout;
        }

        @Override
        public java.util.concurrent.CompletionStage<InputStream> getBody() {
            return java.util.concurrent.CompletableFuture.completedFuture(this);
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            if (closed) {
                s.cancel();
                return;
            }
            subscribed.complete(s);
            s.request(1);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            arrived.add(items);
        }

        @Override
        public void onError(Throwable t) {
            arrived.add(t);
        }

        @Override
        public void onComplete() {
            arrived.add(END);
        }

        /** The buffer holding the next byte, null at the end of the answer. */
        private java.nio.ByteBuffer buffer() throws IOException {
            while (current == null || !current.hasRemaining()) {
                if (batch.hasNext()) {
                    current = batch.next();
                    size += current.remaining();
                    if (size > limit) {
                        close();
                        throw new PrometheusException(PrometheusException.Reason.TOO_LARGE, uri + " answered more than "
                                + limit + " bytes (autoscaler.prometheus.max-response-bytes): add matchers to the "
                                + "query, or raise the limit together with the memory limit");
                    }
                    continue;
                }
                if (ended || closed) {
                    return null;
                }
                Object next;
                try {
                    next = arrived.poll(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new java.io.InterruptedIOException("interrupted while reading the answer of " + uri);
                }
                if (next == null) {
                    close();
                    throw new PrometheusException(PrometheusException.Reason.TIMEOUT, "the answer of " + uri
                            + " stalled: no bytes within " + timeout.toMillis() + " ms");
                }
                if (next == END) {
                    ended = true;
                    return null;
                }
                if (next instanceof Throwable t) {
                    ended = true;
                    throw new PrometheusException(PrometheusException.Reason.UNREACHABLE,
                            "reading the answer of " + uri + " failed: " + describe(t), t);
                }
                @SuppressWarnings("unchecked")
                List<java.nio.ByteBuffer> items = (List<java.nio.ByteBuffer>) next;
                batch = items.iterator();
                subscribed.getNow(null).request(1); // onNext only follows a subscription
            }
            return current;
        }

        @Override
        public int read() throws IOException {
            java.nio.ByteBuffer b = buffer();
            return b == null ? -1 : b.get() & 0xff;
        }

        @Override
        public int read(byte[] into, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, into.length);
            if (len == 0) {
                return 0;
            }
            java.nio.ByteBuffer b = buffer();
            if (b == null) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(into, off, n);
            return n;
        }

        /**
         * Stops the transfer when the answer was not read to its end (the connection is then dropped). The parser
         * stops at the JSON's last brace: an end that has already arrived behind it counts as read to the end, so
         * the connection stays open for the next query.
         */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                for (Object next = arrived.poll(); next != null && !ended; next = arrived.poll()) {
                    ended = next == END;
                }
                if (!ended) {
                    subscribed.thenAccept(java.util.concurrent.Flow.Subscription::cancel);
                }
                arrived.clear();
            }
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
