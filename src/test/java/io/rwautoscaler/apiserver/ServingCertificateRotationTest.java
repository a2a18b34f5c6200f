package io.rwautoscaler.apiserver;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.apiserver.auth.RequestHeaderSource;
import io.rwautoscaler.apiserver.tls.ServingCertificate;
import io.rwautoscaler.testsupport.TestPki;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The serving certificate of a running server, replaced on disk the way a Secret volume update replaces it. */
@QuarkusTest
@TestProfile(ClusterModeProfile.class)
@WithKubernetesTestServer
class ServingCertificateRotationTest {

    static final String DISCOVERY = "/apis/custom.metrics.k8s.io/v1beta1";

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    ServingCertificate serving;
    @Inject
    RequestHeaderSource requestHeaders;

    final Path pki = ClusterModeProfile.pki();
    final Path cert = pki.resolve("tls.crt");
    final Path key = pki.resolve("tls.key");
    final TestPki.Issued servingCa = TestPki.loadCa(pki, "serving-ca");
    ClusterModeClient client;

    @BeforeEach
    void setUp() {
        new FakeDelegation(server, TestPki.loadCa(pki, "front-proxy-ca")).install();
        requestHeaders.runOnce(Instant.now());
        client = new ClusterModeClient(Ports.tls(), servingCa);
    }

    @AfterEach
    void leaveAGoodPair() {
        TestPki.server(servingCa, "remote-write-autoscaler").write(cert, key);
        serving.runOnce(Instant.now());
    }

    @Test
    void aCertificateRotatedOnDiskIsServedWithoutRestart() throws Exception {
        TestPki.Issued next = TestPki.server(servingCa, "remote-write-autoscaler-next");
        assertThat(client.servedCertificate()).isNotEqualTo(next.cert());
        next.write(cert, key);
        assertThat(serving.runOnce(Instant.now())).isEqualTo(ServingCertificate.Outcome.ROTATED);
        assertThat(client.servedCertificate()).isEqualTo(next.cert());
        assertThat(client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-after-rotation").statusCode()).isEqualTo(200);
    }

    @Test
    void expiredOrUnreadableFilesKeepTheLastGoodPairAndAreReported() throws Exception {
        TestPki.Issued good = TestPki.server(servingCa, "remote-write-autoscaler-good");
        good.write(cert, key);
        serving.runOnce(Instant.now());
        double expiredBefore = Ports.counter("rwa_tls_certificate_reloads_total", "result=\"rejected\"", "reason=\"expired\"");

        Instant now = Instant.now();
        TestPki.server(servingCa, "remote-write-autoscaler-expired", now.minus(Duration.ofDays(2)), now.minus(Duration.ofMinutes(1)),
                TestPki.KeyKind.EC).write(cert, key);
        assertThat(serving.runOnce(now)).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(client.servedCertificate()).isEqualTo(good.cert());
        assertThat(Ports.counter("rwa_tls_certificate_reloads_total", "result=\"rejected\"", "reason=\"expired\""))
                .isEqualTo(expiredBefore + 1);
        assertThat(Ports.counter("rwa_tls_certificate_files_rejected")).isEqualTo(1);

        Files.writeString(key, "not a key");
        assertThat(serving.runOnce(Instant.now())).isEqualTo(ServingCertificate.Outcome.REJECTED);
        Files.delete(cert);
        assertThat(serving.runOnce(Instant.now())).isEqualTo(ServingCertificate.Outcome.REJECTED);
        assertThat(client.servedCertificate()).isEqualTo(good.cert());
        assertThat(client.get(DISCOVERY, null, "Authorization", "Bearer token:allowed-during-bad-files").statusCode()).isEqualTo(200);

        TestPki.Issued fixed = TestPki.server(servingCa, "remote-write-autoscaler-fixed");
        fixed.write(cert, key);
        assertThat(serving.runOnce(Instant.now())).isEqualTo(ServingCertificate.Outcome.ROTATED);
        assertThat(client.servedCertificate()).isEqualTo(fixed.cert());
        assertThat(Ports.counter("rwa_tls_certificate_files_rejected")).isZero();
    }
}
