package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where the facts come from: a Prometheus or a Thanos Query. */
@ConfigMapping(prefix = "autoscaler.prometheus")
public interface PrometheusConfig {

    /** Base URLs (comma-separated), tried in order; the next one is tried on a connection error, timeout or 5xx. */
    @WithDefault("http://127.0.0.1:9090")
    List<URI> url();

    /** Timeout of one HTTP request to Prometheus. */
    @WithDefault("5s")
    Duration timeout();

    /** File holding a bearer token, read on every request so that rotated tokens are picked up. */
    Optional<Path> bearerTokenFile();

    /** PEM file of the CA that signed Prometheus' serving certificate (https URLs). */
    Optional<Path> caFile();

    /** Largest answer body read from Prometheus, in bytes; a larger one fails the query before it is held whole. */
    @WithDefault("67108864")
    long maxResponseBytes();

    /** {@code prometheus} or {@code thanos}; Thanos Query gets the {@code dedup} and {@code partial_response} parameters. */
    @WithDefault("prometheus")
    Flavor flavor();

    /** Thanos Query: deduplicate HA replicas (runbook: the {@code replica} label). */
    @WithDefault("true")
    boolean dedup();

    /** Thanos Query: accept answers with some store APIs missing (warnings are still counted). */
    @WithDefault("false")
    boolean partialResponse();

    enum Flavor { PROMETHEUS, THANOS }
}
