package io.rwautoscaler.apiserver;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.rwautoscaler.apiserver.auth.RequestHeaderSource;
import io.rwautoscaler.testsupport.SlowLoris;
import io.rwautoscaler.testsupport.TestPki;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, connection hygiene in cluster mode, with the default header timeout: slow request heads are cut on both
 * ports (over TLS on the API port, after a completed handshake, and on the plain health/metrics port) while
 * kube-apiserver's aggregator is answered on the API port and the kubelet's probe on the plain one.
 */
@QuarkusTest
@TestProfile(ClusterModeProfile.class)
@WithKubernetesTestServer
class ClusterModeConnectionsTest {

    static final Duration DEADLINE = Duration.ofSeconds(90);

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    RequestHeaderSource requestHeaders;
    @Inject
    ConnectionHygiene hygiene;

    final Path pki = ClusterModeProfile.pki();
    final TestPki.Issued frontProxyCa = TestPki.loadCa(pki, "front-proxy-ca");
    ClusterModeClient client;

    @BeforeEach
    void setUp() {
        new FakeDelegation(server, frontProxyCa).install();
        assertThat(requestHeaders.runOnce(Instant.now())).isNotEqualTo(RequestHeaderSource.Outcome.FAILED);
        client = new ClusterModeClient(Ports.tls(), TestPki.loadCa(pki, "serving-ca"));
    }

    @Test
    void slowHeadsAreCutOnBothPortsWhileTheAggregatorAndTheKubeletAreServed() throws Exception {
        // Installed from asynchronous start events: wait for both rather than race them.
        SlowLoris.await("the plain port and the TLS port guarded", DEADLINE, () -> hygiene.guardedListeners() == 2);
        Duration headerTimeout = ConfigProvider.getConfig().getValue("autoscaler.http.header-timeout", Duration.class);
        Duration idleTimeout = ConfigProvider.getConfig().getValue("quarkus.http.idle-timeout", Duration.class);
        Duration byteEvery = Duration.ofMillis(500);
        try (SlowLoris overTls = SlowLoris.start(5, byteEvery, client::handshaken);
             SlowLoris plain = SlowLoris.start(5, byteEvery, SlowLoris.plain("127.0.0.1", RestAssured.port))) {
            SlowLoris.await("every slow connection open and sending", DEADLINE,
                    () -> overTls.allStarted() && plain.allStarted());
            assertThat(overTls.failures()).isEmpty();
            assertThat(plain.failures()).isEmpty();

            var proxy = TestPki.client(frontProxyCa, "front-proxy-client");
            assertThat(client.get(AggregatedApiServerTest.DISCOVERY, proxy, "X-Remote-User", "system:kube-aggregator",
                    "X-Remote-Group", "system:masters").statusCode()).isEqualTo(200);
            given().when().get("/q/health/live").then().statusCode(200);

            SlowLoris.await("the server closes every slow connection on both ports", idleTimeout.dividedBy(2),
                    () -> overTls.closedByServer() == 5 && plain.closedByServer() == 5);
            for (SlowLoris attack : new SlowLoris[]{overTls, plain}) {
                for (SlowLoris.Slow c : attack.connections()) {
                    assertThat(c.closedAfter()).as("cut by the header timeout, not before it")
                            .isGreaterThanOrEqualTo(headerTimeout.minusMillis(300));
                    // Vert.x' idle timeout also cuts an unfinished head (at 90 s): the cut must come well before it.
                    assertThat(c.closedAfter()).as("cut by the header timeout, not by quarkus.http.idle-timeout")
                            .isLessThan(idleTimeout.dividedBy(2));
                }
            }
        }
    }
}
