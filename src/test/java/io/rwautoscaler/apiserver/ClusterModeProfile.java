package io.rwautoscaler.apiserver;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.rwautoscaler.testsupport.TestPki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The service as it runs in a cluster: API over TLS with certificates made for this run, authentication and
 * authorization on (against the Kubernetes mock server), health and metrics on the plain port, a cluster name.
 */
public class ClusterModeProfile implements QuarkusTestProfile {

    /**
     * One PKI per test JVM, on disk: the profile (which configures the app) and the tests (which issue client
     * certificates and rotate the serving pair) may live in different class loaders.
     */
    public static Path pki() {
        Path dir = Path.of("target", "cluster-mode-pki-" + ProcessHandle.current().pid()).toAbsolutePath();
        synchronized (ClusterModeProfile.class) {
            if (!Files.exists(dir.resolve("done"))) {
                TestPki.Issued servingCa = TestPki.ca("serving-ca");
                TestPki.saveCa(dir, "serving-ca", servingCa);
                TestPki.server(servingCa, "remote-write-autoscaler").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
                TestPki.saveCa(dir, "front-proxy-ca", TestPki.ca("front-proxy-ca"));
                TestPki.saveCa(dir, "front-proxy-ca-rotated", TestPki.ca("front-proxy-ca"));
                TestPki.saveCa(dir, "other-ca", TestPki.ca("front-proxy-ca"));
                try {
                    Files.writeString(dir.resolve("done"), "");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return dir;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Path dir = pki();
        return Map.ofEntries(
                Map.entry("autoscaler.tls.enabled", "true"),
                Map.entry("autoscaler.tls.cert-file", dir.resolve("tls.crt").toString()),
                Map.entry("autoscaler.tls.key-file", dir.resolve("tls.key").toString()),
                Map.entry("autoscaler.auth.enabled", "true"),
                Map.entry("autoscaler.auth.review-timeout", "3s"),
                Map.entry("autoscaler.cluster", "cluster-test"),
                Map.entry("quarkus.http.test-port", "0"),
                Map.entry("quarkus.http.test-ssl-port", "0"));
    }
}
