package io.rwautoscaler.apiserver.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.rwautoscaler.config.TlsConfig;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The API port's certificate, from {@code autoscaler.tls.cert-file} and {@code key-file}, checked every
 * {@code autoscaler.tls.reload-period}. A new pair is served from the next handshake on. A pair that cannot be
 * read, does not match, or is outside its validity is refused: the last good pair stays, the refusal is logged
 * once and counted, and {@code rwa_tls_certificate_files_rejected} stays 1 until the files are fixed.
 */
@Singleton
public class ServingCertificate {

    private static final Logger LOG = Logger.getLogger(ServingCertificate.class);

    public enum Outcome { ROTATED, UNCHANGED, REJECTED }

    private final TlsConfig config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final AtomicReference<ServingKeyPair> served = new AtomicReference<>();
    private final ReloadingKeyManager keyManager = new ReloadingKeyManager(served::get);
    private volatile byte[] lastSeen = new byte[0];
    private volatile String lastProblem = "";
    private volatile int rejected;

    @Inject
    public ServingCertificate(TlsConfig config, Clock clock, MeterRegistry registry, Vertx vertx) {
        this.config = config;
        this.clock = clock;
        this.registry = registry;
        this.vertx = vertx;
        Gauge.builder("rwa_tls_serving_certificate_expiry_timestamp_seconds", served,
                        s -> s.get() == null ? 0 : s.get().notAfter().getEpochSecond())
                .description("notAfter of the certificate the API port serves (0 = none)").register(registry);
        Gauge.builder("rwa_tls_certificate_files_rejected", this, s -> s.rejected)
                .description("1 while the certificate files on disk are refused and the previous pair is served").register(registry);
    }

    /**
     * The first load, when the HTTPS listener is set up: without a readable matching pair there is nothing to serve,
     * so start-up fails naming the files. An expired pair is served anyway, with an error, for want of another.
     */
    synchronized X509ExtendedKeyManager keyManager() {
        if (served.get() == null) {
            Instant now = clock.instant();
            try {
                byte[][] files = read();
                ServingKeyPair pair = ServingKeyPair.parse(vertx, files[0], files[1]);
                try {
                    pair.checkValidAt(now);
                } catch (ServingKeyPair.RejectedException e) {
                    LOG.errorf("serving certificate from %s: %s; serving it anyway until valid files appear",
                            config.certFile(), e.getMessage());
                }
                served.set(pair);
                lastSeen = digest(files);
                LOG.infof("serving certificate %s, valid until %s (%s)", pair.describe(), pair.notAfter(), config.certFile());
            } catch (ServingKeyPair.RejectedException e) {
                throw new IllegalStateException("autoscaler.tls.cert-file " + config.certFile() + " / autoscaler.tls.key-file "
                        + config.keyFile() + ": " + e.getMessage(), e);
            }
        }
        return keyManager;
    }

    public ServingKeyPair served() {
        return served.get();
    }

    @Scheduled(every = "${autoscaler.tls.reload-period:30s}", identity = "tls-reload",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // A tick while a refused start-up shuts down would print a stack trace after the one-line message.
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (config.enabled() && served.get() != null) {
            runOnce(clock.instant());
        }
    }

    /** One look at the files; tests call it directly. */
    public synchronized Outcome runOnce(Instant now) {
        byte[][] files;
        try {
            files = read();
        } catch (ServingKeyPair.RejectedException e) {
            return reject(e);
        }
        byte[] digest = digest(files);
        if (Arrays.equals(digest, lastSeen)) {
            return rejected == 1 ? Outcome.REJECTED : Outcome.UNCHANGED;
        }
        ServingKeyPair pair;
        try {
            pair = ServingKeyPair.parse(vertx, files[0], files[1]);
            pair.checkValidAt(now);
        } catch (ServingKeyPair.RejectedException e) {
            // Remember the refused content so an unchanged bad pair is not parsed, logged and counted again.
            lastSeen = digest;
            return reject(e);
        }
        lastSeen = digest;
        rejected = 0;
        lastProblem = "";
        ServingKeyPair before = served.getAndSet(pair);
        if (before != null && before.fingerprint().equals(pair.fingerprint())) {
            return Outcome.UNCHANGED;
        }
        LOG.infof("serving certificate rotated without restart: now %s, valid until %s", pair.describe(), pair.notAfter());
        Counter.builder("rwa_tls_certificate_reloads_total").description("Certificate files taken or refused, by reason")
                .tag("result", "rotated").tag("reason", "").register(registry).increment();
        return Outcome.ROTATED;
    }

    private Outcome reject(ServingKeyPair.RejectedException e) {
        rejected = 1;
        if (!e.getMessage().equals(lastProblem)) {
            lastProblem = e.getMessage();
            ServingKeyPair still = served.get();
            LOG.errorf("certificate files %s / %s refused (%s); still serving %s", config.certFile(), config.keyFile(),
                    e.getMessage(), still == null ? "nothing" : still.describe() + " valid until " + still.notAfter());
            Counter.builder("rwa_tls_certificate_reloads_total").description("Certificate files taken or refused, by reason")
                    .tag("result", "rejected").tag("reason", e.problem().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .register(registry).increment();
        }
        return Outcome.REJECTED;
    }

    private byte[][] read() throws ServingKeyPair.RejectedException {
        try {
            return new byte[][]{Files.readAllBytes(config.certFile()), Files.readAllBytes(config.keyFile())};
        } catch (IOException | RuntimeException e) {
            throw new ServingKeyPair.RejectedException(ServingKeyPair.Problem.UNREADABLE,
                    "cannot read " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static byte[] digest(byte[][] files) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(files[0]);
            d.update((byte) 0);
            d.update(files[1]);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
