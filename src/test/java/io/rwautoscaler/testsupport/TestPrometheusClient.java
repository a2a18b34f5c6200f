package io.rwautoscaler.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rwautoscaler.config.PrometheusConfig;
import io.rwautoscaler.prometheus.PrometheusClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A {@link PrometheusClient} for tests without a container: one URL, plain Prometheus, no auth. */
public final class TestPrometheusClient {

    private TestPrometheusClient() {
    }

    public static PrometheusClient of(String url, Duration timeout) {
        return new PrometheusClient(new PrometheusConfig() {
            public List<URI> url() { return List.of(URI.create(url)); }
            public Duration timeout() { return timeout; }
            public Optional<Path> bearerTokenFile() { return Optional.empty(); }
            public Optional<Path> caFile() { return Optional.empty(); }
            public Flavor flavor() { return Flavor.PROMETHEUS; }
            public boolean dedup() { return true; }
            public boolean partialResponse() { return false; }
            public long maxResponseBytes() { return 64L << 20; }
        }, new ObjectMapper(), new SimpleMeterRegistry());
    }
}
