package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Delegation: when this service owns a metrics API group that another adapter served before (prometheus-adapter's
 * custom.metrics.k8s.io, KEDA's external.metrics.k8s.io), it answers for both. Discovery lists the other adapter's
 * metrics next to its own; a request for a metric this service does not serve is authorized here, then forwarded
 * with this service's own credentials. README, "Next to KEDA or prometheus-adapter".
 */
@ConfigMapping(prefix = "autoscaler.delegate")
public interface DelegateConfig {

    /** The adapter that serves the custom.metrics.k8s.io metrics this service does not (e.g. prometheus-adapter). */
    Upstream custom();

    /** The adapter that serves the external.metrics.k8s.io metrics this service does not (e.g. KEDA's metrics server). */
    Upstream external();

    /**
     * How old the other adapter's discovery list may get before a discovery request here fetches it again (in the
     * background: discovery never waits for the other adapter, and keeps its last good list while it is down).
     */
    @WithDefault("30s")
    Duration discoveryRefresh();

    /** Largest answer accepted from the other adapter, in bytes; a larger one is refused with a 503 Status. */
    @WithDefault("16777216")
    int maxResponseBytes();

    /** One other adapter. */
    interface Upstream {

        /**
         * Base URL of the other adapter's Service, e.g. {@code https://prometheus-adapter.monitoring.svc:443}; unset =
         * no delegation for this group (metrics this service does not serve are 404).
         */
        Optional<URI> url();

        /** PEM file of the CA that signed the other adapter's serving certificate; unset = the JVM's trusted CAs. */
        Optional<Path> caFile();

        /**
         * File holding the bearer token sent to the other adapter (this service's own ServiceAccount token in a
         * cluster), read on every request so a rotated token is picked up; unset = no Authorization header.
         */
        Optional<Path> tokenFile();

        /**
         * Do not verify the other adapter's certificate: only for adapters that serve a self-signed certificate and
         * whose APIService was registered with {@code insecureSkipTLSVerify: true} (prometheus-adapter's default).
         */
        @WithDefault("false")
        boolean insecureSkipTlsVerify();

        /** Longest wait for one answer of the other adapter (connect, headers and body); then a 503 Status. */
        @WithDefault("5s")
        Duration timeout();
    }
}
