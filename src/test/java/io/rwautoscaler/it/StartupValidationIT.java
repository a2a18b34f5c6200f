package io.rwautoscaler.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        List<String> options = new ArrayList<>(List.of("-Dquarkus.profile=local", "-Dquarkus.grpc.server.port=0", "-Dquarkus.http.port=0"));
        for (String s : settings.split(";")) {
            options.add("-D" + s);
        }
        Process p = PackagedApp.start(options).redirectErrorStream(true).start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as("the process exits by itself; output: %s", out).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("Configuration validation failed").contains(expected).doesNotContain("\tat ");
    }
}
