package io.rwautoscaler.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged application refuses invalid configuration at start-up: exit status 1 and one message naming the
 * key, never a half-started server nor a stack trace.
 */
class StartupValidationIT {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "autoscaler.metrics.rules.foo.query=up{<<.Series>>}|autoscaler.metrics.rules.\"foo\".query: unknown placeholder <<.Series>>",
            "autoscaler.metrics.refresh=-5s|autoscaler.metrics.refresh: negative duration",
            "autoscaler.metrics.rules.foo.query=up;autoscaler.metrics.rules.foo.window=-1m|autoscaler.metrics.rules.\"foo\".window: negative duration",
            "autoscaler.metrics.rules.foo.query=up;autoscaler.metrics.rules.foo.kind=internal|autoscaler.metrics.rules.foo.kind",
            "autoscaler.metrics.rules.bad-name.query=up|'bad-name' is not a valid metric name",
            "autoscaler.metrics.max-staleness=5s|autoscaler.metrics.max-staleness (PT5S) must not be shorter than autoscaler.metrics.refresh",
            "autoscaler.receivers.pod-selector=app=(x|autoscaler.receivers.pod-selector: invalid label selector",
            "autoscaler.prometheus.url=localhost:9090|autoscaler.prometheus.url: 'localhost:9090' is not an absolute http(s) URL",
            "autoscaler.metrics.builtins=false|no rule is served",
            "autoscaler.scheduler.first-delay=soon|autoscaler.scheduler.first-delay",
    })
    void invalidConfigurationStopsStartUpNamingTheKey(String settings, String expected) throws Exception {
        List<String> properties = new ArrayList<>();
        for (String s : settings.split(";")) {
            properties.add("-D" + s);
        }
        String out = refused(properties, Map.of());
        assertThat(out).contains(expected);
    }

    /**
     * In a cluster every setting is an environment variable (the chart's and kustomize's ConfigMap): a misspelled
     * one stops start-up with one line naming it and the nearest key, as an unknown -D key does.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AUTOSCALER_SHARDS_MOED=apply|AUTOSCALER_SHARDS_MOED: no autoscaler.* key maps to this environment variable; did you mean AUTOSCALER_SHARDS_MODE (autoscaler.shards.mode)?",
            "AUTOSCALER_METRICS_RULES_FOO_QEURY=up|AUTOSCALER_METRICS_RULES_FOO_QEURY: no autoscaler.* key maps to this environment variable; did you mean",
            "AUTOSCALER_AUTH_CACHE_TTL=-1s|autoscaler.auth.cache-ttl: must not be negative, got -1s",
    })
    void aWrongEnvironmentVariableStopsStartUpWithOneLine(String variable, String expected) throws Exception {
        String[] kv = variable.split("=", 2);
        String out = refused(List.of(), Map.of(kv[0], kv[1]));
        assertThat(problems(out)).as(out).singleElement().asString().contains(expected);
    }

    /** A bad value reads the same whether it comes from the environment or from -D: one line, no stack trace. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "autoscaler.metrics.refresh|soon",
            "autoscaler.shards.mode|apply-now",
            "autoscaler.prometheus.url|localhost:9090",
            "autoscaler.scheduler.first-delay|-",
    })
    void aBadValueFromTheEnvironmentIsTheSameOneLineAsFromSystemProperties(String key, String value) throws Exception {
        String env = key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        List<String> fromEnv = problems(refused(List.of(), Map.of(env, value)));
        List<String> fromProperty = problems(refused(List.of("-D" + key + "=" + value), Map.of()));
        assertThat(fromEnv).singleElement().asString().contains(key);
        assertThat(fromEnv).isEqualTo(fromProperty);
    }

    /** The install's own variables and Kubernetes' service links for a Service named autoscaler start normally. */
    @Test
    void knownVariablesAndServiceLinksStart() throws Exception {
        Process p = start(List.of(), Map.of("AUTOSCALER_SHARDS_MODE", "recommend", "AUTOSCALER_METRICS_REFRESH", "30s",
                "AUTOSCALER_SERVICE_HOST", "10.96.0.10", "AUTOSCALER_PORT_443_TCP_ADDR", "10.96.0.10"));
        StringBuilder out = new StringBuilder();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            String line;
            while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
                out.append(line).append('\n');
                if (line.contains("started in")) {
                    break;
                }
            }
        } finally {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(out.toString()).as(out.toString()).contains("started in").doesNotContain("Configuration validation failed");
    }

    /** The problem lines of a refused start (each starts with a tab after the header). */
    static List<String> problems(String out) {
        return out.lines().dropWhile(l -> !l.startsWith("Configuration validation failed")).skip(1)
                .filter(l -> l.startsWith("\t")).map(String::strip).toList();
    }

    static Process start(List<String> properties, Map<String, String> env) throws IOException {
        return start(properties, env, null);
    }

    static Process start(List<String> properties, Map<String, String> env, Path log) throws IOException {
        List<String> options = new ArrayList<>(List.of("-Dquarkus.profile=local", "-Dquarkus.grpc.server.port=0", "-Dquarkus.http.port=0"));
        options.addAll(properties);
        ProcessBuilder pb = PackagedApp.start(options).redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        pb.environment().keySet().removeIf(k -> k.startsWith("AUTOSCALER_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Starts the jar, which must exit by itself with status 1 and the validation message, no stack trace. */
    static String refused(List<String> properties, Map<String, String> env) throws Exception {
        Path log = java.nio.file.Files.createTempFile("startup-validation", ".log");
        Process p = start(properties, env, log);
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String out = java.nio.file.Files.readString(log);
        java.nio.file.Files.deleteIfExists(log);
        assertThat(exited).as("the process exits by itself; output: %s", out).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("Configuration validation failed").doesNotContain("\tat ");
        return out;
    }
}
