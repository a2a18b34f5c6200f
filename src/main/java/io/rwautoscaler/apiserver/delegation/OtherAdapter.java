package io.rwautoscaler.apiserver.delegation;

import io.rwautoscaler.config.ConfigProblems;
import io.rwautoscaler.config.DelegateConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One other metrics adapter (prometheus-adapter, KEDA's metrics server) as this service reaches it: GETs with this
 * service's own token, a deadline on the whole answer (connect, headers, body), and a bound on its size.
 */
final class OtherAdapter {

    /** What the other adapter answered, unchanged. */
    record Answer(int status, String contentType, byte[] body) {
    }

    /** Why there is no answer; {@link #reason()} is the metrics label, the message names the adapter. */
    static final class Unavailable extends RuntimeException {
        private final String reason;

        Unavailable(String reason, String message, Throwable cause) {
            super(message, cause, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final String group;
    private final String key;
    private final URI base;
    private final HttpClient http;
    private final Optional<Path> tokenFile;
    private final Duration timeout;
    private final int maxBytes;

    OtherAdapter(String group, String key, DelegateConfig.Upstream config, int maxBytes) {
        URI url = config.url().orElseThrow();
        if (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw ConfigProblems.invalid(key + ".url", "'" + url
                    + "' is not an absolute http(s) base URL without query (e.g. https://prometheus-adapter.monitoring.svc:443)");
        }
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            throw ConfigProblems.invalid(key + ".timeout", "must be longer than 0s");
        }
        if (config.insecureSkipTlsVerify() && config.caFile().isPresent()) {
            throw ConfigProblems.invalid(key + ".insecure-skip-tls-verify",
                    "is true while " + key + ".ca-file is set: verify with the CA or skip verification, not both");
        }
        this.group = group;
        this.key = key;
        String b = url.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.tokenFile = config.tokenFile();
        this.timeout = config.timeout();
        this.maxBytes = maxBytes;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
        if (config.insecureSkipTlsVerify()) {
            builder.sslContext(context(new TrustManager[]{new TrustingEverything()}));
        } else if (config.caFile().isPresent()) {
            builder.sslContext(context(trusting(key + ".ca-file", config.caFile().get())));
        }
        this.http = builder.build();
    }

    URI base() {
        return base;
    }

    String group() {
        return group;
    }

    /** GET {@code pathAndQuery} (raw, starting with /); completes with the answer or an {@link Unavailable}. */
    CompletableFuture<Answer> get(String pathAndQuery) {
        CompletableFuture<Answer> out = new CompletableFuture<>();
        HttpRequest.Builder req;
        try {
            req = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout).GET()
                    .header("Accept", "application/json")
                    .header("User-Agent", "remote-write-autoscaler (delegation)");
            token().ifPresent(t -> req.header("Authorization", "Bearer " + t));
        } catch (Unavailable e) {
            out.completeExceptionally(e);
            return out;
        } catch (IllegalArgumentException e) {
            out.completeExceptionally(new Unavailable("failed", "cannot build a request to " + describe() + " for '"
                    + pathAndQuery + "': " + e.getMessage(), e));
            return out;
        }
        List<BoundedBody> bodies = new ArrayList<>(1);
        AtomicBoolean late = new AtomicBoolean();
        CompletableFuture<HttpResponse<byte[]>> sent = http.sendAsync(req.build(), info -> {
            BoundedBody b = new BoundedBody(maxBytes);
            synchronized (bodies) {
                bodies.add(b);
            }
            return b;
        });
        // The request timeout covers the headers only: one deadline for the whole answer, body included.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!sent.isDone() && late.compareAndSet(false, true)) {
                synchronized (bodies) {
                    bodies.forEach(BoundedBody::cancel);
                }
                sent.cancel(true);
            }
        });
        sent.whenComplete((resp, error) -> {
            if (error == null) {
                out.complete(new Answer(resp.statusCode(),
                        resp.headers().firstValue("Content-Type").orElse("application/json"), resp.body()));
            } else {
                out.completeExceptionally(translate(error, late.get()));
            }
        });
        return out;
    }

    private Unavailable translate(Throwable error, boolean late) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (late || e instanceof CancellationException || (e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException))) {
            return new Unavailable("timeout", describe() + " did not answer within " + timeout.toMillis() + " ms", e);
        }
        if (e instanceof TooLarge || e.getCause() instanceof TooLarge) {
            return new Unavailable("too_large", describe() + " answered more than " + maxBytes
                    + " bytes (autoscaler.delegate.max-response-bytes)", e);
        }
        if (e instanceof HttpConnectTimeoutException) {
            return new Unavailable("unreachable", "cannot connect to " + describe() + " within " + timeout.toMillis() + " ms", e);
        }
        if (e instanceof ConnectException) {
            return new Unavailable("unreachable", "cannot connect to " + describe() + ": " + message(e), e);
        }
        return new Unavailable("failed", "the request to " + describe() + " failed: " + message(e), e);
    }

    /** How messages name the other adapter: its group and URL. */
    String describe() {
        return "the " + group + " adapter at " + base;
    }

    private Optional<String> token() {
        return tokenFile.map(p -> {
            try {
                return Files.readString(p).strip();
            } catch (IOException e) {
                throw new Unavailable("failed", "cannot read " + key + ".token-file " + p + " for " + describe() + ": "
                        + message(e), e);
            }
        });
    }

    /** The first message down the cause chain (the JDK client's ConnectException has none of its own). */
    private static String message(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static SSLContext context(TrustManager[] trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is unavailable in this JVM: " + message(e), e);
        }
    }

    private static TrustManager[] trusting(String key, Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw ConfigProblems.invalid(key, caFile + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw ConfigProblems.invalid(key, caFile + " is unusable: " + message(e));
        }
    }

    /** Thrown into the body when the answer outgrows the bound. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("answer too large", null);
        }
    }

    /** Collects the body up to {@code max} bytes; one byte more cancels the exchange. */
    static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        BoundedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (buffer.size() + b.remaining() > max) {
                    cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** insecure-skip-tls-verify: neither the chain nor the host name is checked (the extended form skips both). */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
