package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unknown {@code AUTOSCALER_*} environment variables stop start-up with one line each naming the nearest key; every
 * {@code autoscaler.*} key the README and docs/ name is one the service reads (the other direction, every mapped
 * key documented, is ConfigurationReferenceTest's).
 */
class EnvironmentKeysTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    final EnvironmentKeys keys = EnvironmentKeys.ofTheService();

    @Test
    void everyConfigMappingOfTheServiceIsListed() throws Exception {
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("src/main/java/io/rwautoscaler/config"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Class<?> c = Class.forName("io.rwautoscaler.config." + f.getFileName().toString().replace(".java", ""));
                if (c.isAnnotationPresent(ConfigMapping.class)) {
                    found.add(c);
                }
            }
        }
        assertThat(EnvironmentKeys.MAPPINGS).containsExactlyInAnyOrderElementsOf(found);
    }

    @Test
    void environmentNamesAreMatchedAsSmallRyeMapsThem() {
        assertThat(List.of("AUTOSCALER_SHARDS_MODE", "AUTOSCALER_SCHEDULER_FIRST_DELAY", "AUTOSCALER_PROMETHEUS_URL",
                "AUTOSCALER_PROMETHEUS_URL_0_", "AUTOSCALER_SHARDS_RECEIVER_MAX5XX_PER_SECOND",
                "AUTOSCALER_METRICS_RULES_MY_METRIC_QUERY", "AUTOSCALER_METRICS_RULES__MY_METRIC__WINDOW",
                "AUTOSCALER_RECEIVERS_HASHRING_TENANTS_TEAM_A", "AUTOSCALER_CLUSTER", "AUTOSCALER_LEADER_ELECTION_LEASE_NAME"))
                .allSatisfy(n -> assertThat(keys.knows(n)).as(n).isTrue());
        assertThat(List.of("AUTOSCALER_SHARDS_MOED", "AUTOSCALER_METRICS_RULES_MY_METRIC_QEURY", "AUTOSCALER_SHARDS",
                "AUTOSCALER_PROMETHEUS_URLS"))
                .allSatisfy(n -> assertThat(keys.knows(n)).as(n).isFalse());
    }

    @Test
    void anUnknownVariableIsOneLineNamingTheNearestKey() {
        Map<String, String> env = new TreeMap<>(Map.of("AUTOSCALER_SHARDS_MOED", "apply", "AUTOSCALER_SHARDS_MODE", "recommend",
                "PATH", "/usr/bin", "QUARKUS_HTTP_PORT", "9000", "HOSTNAME", "rwa-0"));
        assertThat(keys.unknown(env)).containsExactly("AUTOSCALER_SHARDS_MOED: no autoscaler.* key maps to this environment"
                + " variable; did you mean AUTOSCALER_SHARDS_MODE (autoscaler.shards.mode)?");
        assertThat(keys.unknown(Map.of("AUTOSCALER_PROMETHEUS_TIMEUOT", "5s"))).singleElement().asString()
                .endsWith("did you mean AUTOSCALER_PROMETHEUS_TIMEOUT (autoscaler.prometheus.timeout)?");
        assertThatThrownBy(() -> StrictEnvironment.check(env, config(Map.of()))).isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("AUTOSCALER_SHARDS_MOED: no autoscaler.* key maps")
                .satisfies(e -> assertThat(((ConfigValidationException) e).getProblemCount()).isEqualTo(1));
        StrictEnvironment.check(Map.of("AUTOSCALER_SHARDS_MODE", "apply"), config(Map.of()));
    }

    /** {@code -1s} parses as a Duration, so nothing else stops it: AUTOSCALER_AUTH_CACHE_TTL=-1s started silently. */
    @Test
    void aNegativeDurationUnderAnyKeyIsOneLineNamingTheKey() {
        assertThat(EnvironmentKeys.durationKeys()).contains("autoscaler.auth.cache-ttl", "autoscaler.metrics.refresh",
                "autoscaler.prometheus.timeout", "autoscaler.scheduler.first-delay", "autoscaler.http.header-timeout")
                .noneMatch(k -> k.contains("*"));
        assertThat(StrictEnvironment.negativeDurations(config(Map.of("autoscaler.auth.cache-ttl", "-1s",
                "autoscaler.prometheus.timeout", "-PT5S", "autoscaler.metrics.refresh", "0s", "autoscaler.auth.review-timeout", "5s"))))
                .containsExactly("autoscaler.auth.cache-ttl: must not be negative, got -1s",
                        "autoscaler.prometheus.timeout: must not be negative, got -PT5S");
        assertThatThrownBy(() -> StrictEnvironment.check(Map.of(), config(Map.of("autoscaler.auth.cache-ttl", "-1s"))))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("autoscaler.auth.cache-ttl: must not be negative, got -1s");
    }

    static org.eclipse.microprofile.config.Config config(Map<String, String> values) {
        return new io.smallrye.config.SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new io.smallrye.config.PropertiesConfigSource(values, "test", 100)).build();
    }

    @Test
    void kubernetesServiceLinksAreNotOurs() {
        // A Service named autoscaler or autoscaler-webhook in the namespace: the kubelet injects these.
        assertThat(keys.unknown(Map.of("AUTOSCALER_SERVICE_HOST", "10.0.0.1", "AUTOSCALER_SERVICE_PORT", "443",
                "AUTOSCALER_SERVICE_PORT_HTTPS", "443", "AUTOSCALER_PORT", "tcp://10.0.0.1:443",
                "AUTOSCALER_PORT_443_TCP", "tcp://10.0.0.1:443", "AUTOSCALER_PORT_443_TCP_PROTO", "tcp",
                "AUTOSCALER_PORT_443_TCP_PORT", "443", "AUTOSCALER_PORT_443_TCP_ADDR", "10.0.0.1",
                "AUTOSCALER_WEBHOOK_SERVICE_HOST", "10.0.0.2"))).isEmpty();
    }

    /** A key token in prose: not preceded by a name character, so remote-write-autoscaler.monitoring.svc is not one. */
    static final Pattern DOC_KEY = Pattern.compile("(?<![\\w.\\-/])autoscaler((?:\\.[A-Za-z0-9*<>\"_-]+)+)");

    @Test
    void everyKeyTheReadmeAndDocsNameExists() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        List<String> unknown = new ArrayList<>();
        int seen = 0;
        for (Path doc : documents) {
            Matcher m = DOC_KEY.matcher(Files.readString(doc));
            while (m.find()) {
                String token = ("autoscaler" + m.group(1)).replaceAll("\\.\\*$", "").replaceAll("\\.+$", "");
                seen++;
                if (!exists(token)) {
                    unknown.add(ROOT.relativize(doc) + ": " + token);
                }
            }
        }
        assertThat(seen).as("keys found in the documents").isGreaterThan(100);
        assertThat(unknown).as("documented keys no @ConfigMapping declares").isEmpty();
    }

    /** A key (map keys as written in the docs: "<name>", NAME, team-a), or a section some key lies in. */
    boolean exists(String token) {
        String env = token.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        return keys.knows(env) || keys.keys().stream().anyMatch(k -> k.name().startsWith(token + "."));
    }

    @Test
    void theDocumentCheckCatchesAMisspelling() {
        assertThat(exists("autoscaler.shards.mode")).isTrue();
        assertThat(exists("autoscaler.shards")).isTrue();
        assertThat(exists("autoscaler.metrics.rules.\"<name>\".query")).isTrue();
        assertThat(exists("autoscaler.shards.moed")).isFalse();
        assertThat(exists("autoscaler.metrics.rules.\"<name>\".qeury")).isFalse();
    }
}
