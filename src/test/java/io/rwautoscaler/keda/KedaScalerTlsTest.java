package io.rwautoscaler.keda;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.keda.externalscaler.ExternalScalerGrpc;
import io.rwautoscaler.keda.externalscaler.GetMetricsRequest;
import io.rwautoscaler.keda.externalscaler.ScaledObjectRef;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.rwautoscaler.metrics.SnapshotHolder;
import io.rwautoscaler.metrics.TestSnapshots;
import io.rwautoscaler.testsupport.TestPki;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scaler port as KEDA meets it in a cluster: TLS with the serving certificate, and client certificates required
 * from a configured CA (KEDA's TriggerAuthentication caCert, tlsClientCert, tlsClientKey).
 */
@QuarkusTest
@TestProfile(KedaScalerTlsTest.TlsWithClientCertificates.class)
class KedaScalerTlsTest {

    static final Path DIR = Path.of("target/keda-tls").toAbsolutePath();

    public static class TlsWithClientCertificates implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try (ServerSocket s = new ServerSocket(0)) {
                Files.createDirectories(DIR);
                TestPki.Issued ca = TestPki.ca("keda-test-ca");
                TestPki.saveCa(DIR, "ca", ca);
                TestPki.server(ca, "remote-write-autoscaler").write(DIR.resolve("tls.crt"), DIR.resolve("tls.key"));
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("clients", ca.cert());
                try (OutputStream out = Files.newOutputStream(DIR.resolve("clients.p12"))) {
                    trust.store(out, "changeit".toCharArray());
                }
                return Map.of("quarkus.grpc.server.test-port", Integer.toString(s.getLocalPort()),
                        "autoscaler.keda.enabled", "true",
                        "quarkus.grpc.server.ssl.certificate", DIR.resolve("tls.crt").toString(),
                        "quarkus.grpc.server.ssl.key", DIR.resolve("tls.key").toString(),
                        "quarkus.grpc.server.ssl.trust-store", DIR.resolve("clients.p12").toString(),
                        "quarkus.grpc.server.ssl.trust-store-password", "changeit",
                        "quarkus.grpc.server.ssl.client-auth", "REQUIRED");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    SnapshotHolder holder;
    @Inject
    MetricRuleSet rules;

    @BeforeEach
    void publish() {
        Map<String, MetricData> data = new HashMap<>();
        for (MetricRule r : rules.rules()) {
            data.put(r.name(), new MetricData(r, List.of(KedaExternalScalerTest.agent("prometheus-agent-0", "cluster-02", 4500)), Instant.now()));
        }
        TestSnapshots.publish(holder, new Snapshot(Instant.now(), rules.rules(), data, Map.of(), List.of(), ObjectLabels.DEFAULT));
    }

    static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    }

    double queue(ManagedChannel channel) throws InterruptedException {
        try {
            return ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ScaledObjectRef.newBuilder()
                            .setName("thanos-receive").setNamespace("monitoring")).build())
                    .getMetricValues(0).getMetricValueFloat();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientWithTheCaAndACertificateGetsTheQueue() throws Exception {
        TestPki.Issued client = TestPki.client(TestPki.loadCa(DIR, "ca"), "keda-operator");
        client.write(DIR.resolve("client.crt"), DIR.resolve("client.key"));
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", port())
                .sslContext(GrpcSslContexts.forClient().trustManager(DIR.resolve("ca.crt").toFile())
                        .keyManager(DIR.resolve("client.crt").toFile(), DIR.resolve("client.key").toFile()).build())
                .build();
        assertThat(queue(channel)).isEqualTo(4500);
    }

    @Test
    void withoutAClientCertificateTheHandshakeFails() {
        assertThatThrownBy(() -> queue(NettyChannelBuilder.forAddress("localhost", port())
                .sslContext(GrpcSslContexts.forClient().trustManager(DIR.resolve("ca.crt").toFile()).build()).build()))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void plainTextIsRefused() {
        assertThatThrownBy(() -> queue(NettyChannelBuilder.forAddress("localhost", port()).usePlaintext().build()))
                .isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void aClientThatDoesNotTrustTheCaRefusesTheServer() throws Exception {
        TestPki.Issued other = TestPki.ca("someone-else");
        Path otherCa = DIR.resolve("other-ca.crt");
        Files.writeString(otherCa, TestPki.pem(other.cert()));
        TestPki.Issued client = TestPki.client(TestPki.loadCa(DIR, "ca"), "keda-operator");
        client.write(DIR.resolve("client2.crt"), DIR.resolve("client2.key"));
        assertThatThrownBy(() -> queue(NettyChannelBuilder.forAddress("localhost", port())
                .sslContext(GrpcSslContexts.forClient().trustManager(otherCa.toFile())
                        .keyManager(DIR.resolve("client2.crt").toFile(), DIR.resolve("client2.key").toFile()).build()).build()))
                .isInstanceOf(StatusRuntimeException.class);
    }
}
