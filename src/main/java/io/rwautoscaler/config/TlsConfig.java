package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The serving certificate of the API port. Every key is listed with its default in the README
 * ("Install in a cluster").
 */
@ConfigMapping(prefix = "autoscaler.tls")
public interface TlsConfig {

    /**
     * Serve everything over TLS on {@code quarkus.http.ssl-port} (8443); the plain port
     * ({@code quarkus.http.port}, 9000 in a cluster) then answers only health and {@code /q/metrics}.
     * Off in local mode and in tests.
     */
    @WithDefault("true")
    boolean enabled();

    /** PEM certificate chain, leaf first (a mounted kubernetes.io/tls Secret's {@code tls.crt}). */
    @WithDefault("/etc/rwa/tls/tls.crt")
    Path certFile();

    /** PEM private key: PKCS#8, PKCS#1 RSA or SEC1 EC (a mounted Secret's {@code tls.key}). */
    @WithDefault("/etc/rwa/tls/tls.key")
    Path keyFile();

    /**
     * How often the two files are checked for a new pair. A pair that cannot be read, whose key does not match,
     * or that is expired or not yet valid is refused: the last good pair keeps being served.
     */
    @WithDefault("30s")
    Duration reloadPeriod();
}
