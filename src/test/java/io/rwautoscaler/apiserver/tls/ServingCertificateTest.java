package io.rwautoscaler.apiserver.tls;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rwautoscaler.config.TlsConfig;
import io.rwautoscaler.testsupport.TestPki;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading, rotating and refusing certificate files, without a server: the key manager is what handshakes see. */
class ServingCertificateTest {

    static final Vertx VERTX = Vertx.vertx();
    static final TestPki.Issued CA = TestPki.ca("serving-ca");

    @TempDir
    Path dir;
    Path cert;
    Path key;
    SimpleMeterRegistry registry;
    ServingCertificate serving;
    final Instant now = Instant.now();

    @AfterAll
    static void closeVertx() {
        VERTX.close();
    }

    @BeforeEach
    void setUp() {
        cert = dir.resolve("tls.crt");
        key = dir.resolve("tls.key");
        registry = new SimpleMeterRegistry();
        TlsConfig config = new TlsConfig() {
            public boolean enabled() {
                return true;
            }

            public Path certFile() {
                return cert;
            }

            public Path keyFile() {
                return key;
            }

            public Duration reloadPeriod() {
                return Duration.ofSeconds(30);
            }
        };
        serving = new ServingCertificate(config, Clock.fixed(now, ZoneOffset.UTC), registry, VERTX);
    }

    String servedSerial(ReloadingKeyManager km) {
        String alias = km.chooseEngineServerAlias("EC", null, null);
        return km.getCertificateChain(alias)[0].getSerialNumber().toString();
    }

    double rejected(String reason) {
        var c = registry.find("rwa_tls_certificate_reloads_total").tags("result", "rejected", "reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    double gauge(String name) {
        return registry.find(name).gauge().value();
    }

    @Test
    void aRotatedPairIsServedFromTheNextHandshake() {
        TestPki.Issued first = TestPki.server(CA, "first");
        first.write(cert, key);
        var km = (ReloadingKeyManager) serving.keyManager();
        String oldAlias = km.chooseEngineServerAlias("EC", null, null);
        assertThat(servedSerial(km)).isEqualTo(first.cert().getSerialNumber().toString());

        TestPki.Issued second = TestPki.server(CA, "second");
        second.write(cert, key);
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.ROTATED);
        assertThat(servedSerial(km)).isEqualTo(second.cert().getSerialNumber().toString());
        // A handshake that picked the old alias just before the swap still completes with the old pair.
        assertThat(km.getCertificateChain(oldAlias)[0]).isEqualTo(first.cert());
        assertThat(km.getPrivateKey(oldAlias)).isEqualTo(first.key());
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.UNCHANGED);
        assertThat(gauge("rwa_tls_serving_certificate_expiry_timestamp_seconds"))
                .isEqualTo(second.cert().getNotAfter().toInstant().getEpochSecond());
    }

    @Test
    void anExpiredPairIsRefusedAndTheLastGoodOneKept() {
        TestPki.Issued good = TestPki.server(CA, "good");
        good.write(cert, key);
        var km = (ReloadingKeyManager) serving.keyManager();
        TestPki.server(CA, "expired", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), TestPki.KeyKind.EC).write(cert, key);
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(servedSerial(km)).isEqualTo(good.cert().getSerialNumber().toString());
        assertThat(rejected("expired")).isEqualTo(1); // reported once per bad pair, not once per check
        assertThat(gauge("rwa_tls_certificate_files_rejected")).isEqualTo(1);

        TestPki.server(CA, "future", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(3)), TestPki.KeyKind.EC).write(cert, key);
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(rejected("not-yet-valid")).isEqualTo(1);

        TestPki.Issued fixed = TestPki.server(CA, "fixed");
        fixed.write(cert, key);
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.ROTATED);
        assertThat(gauge("rwa_tls_certificate_files_rejected")).isZero();
        assertThat(servedSerial(km)).isEqualTo(fixed.cert().getSerialNumber().toString());
    }

    @Test
    void unreadableGarbageOrMismatchedFilesAreRefused() throws Exception {
        TestPki.Issued good = TestPki.server(CA, "good");
        good.write(cert, key);
        var km = (ReloadingKeyManager) serving.keyManager();

        Files.delete(key);
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(rejected("unreadable")).isEqualTo(1);

        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(rejected("invalid")).isEqualTo(1);

        TestPki.writeAtomically(key, TestPki.server(CA, "other").keyPemPkcs8());
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(rejected("key-mismatch")).isEqualTo(1);

        assertThat(servedSerial(km)).isEqualTo(good.cert().getSerialNumber().toString());
    }

    @Test
    void keysAsCertManagerAndKubeadmWriteThem() {
        TestPki.Issued rsa = TestPki.server(CA, "rsa", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), TestPki.KeyKind.RSA);
        TestPki.writeAtomically(cert, rsa.certPem());
        TestPki.writeAtomically(key, rsa.keyPemTraditional());
        assertThat(rsa.keyPemTraditional()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        var km = serving.keyManager();
        assertThat(km.chooseEngineServerAlias("RSA", null, null)).isNotNull();
        assertThat(km.chooseEngineServerAlias("EC", null, null)).isNull();

        TestPki.Issued ec = TestPki.server(CA, "ec");
        TestPki.writeAtomically(cert, ec.certPem());
        TestPki.writeAtomically(key, ec.keyPemTraditional());
        assertThat(ec.keyPemTraditional()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.ROTATED);
        assertThat(km.chooseEngineServerAlias("EC", null, null)).isNotNull();
    }

    @Test
    void startUpWithoutAReadablePairFailsNamingTheFiles() {
        assertThatThrownBy(() -> serving.keyManager()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("autoscaler.tls.cert-file " + cert);
    }
}
