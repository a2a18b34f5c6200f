package io.rwautoscaler.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.testsupport.Backfill;
import io.rwautoscaler.testsupport.PrometheusProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A real Prometheus holding {@link RunbookHistory} (backfilled), and a policy file holding the default policy
 * written out as YAML, so the app loads its policy from a file exactly as it would from a ConfigMap.
 * Injects the {@link Backfilled} record into the test.
 */
public class BackfilledPrometheusResource implements QuarkusTestResourceLifecycleManager {

    /** What the test needs to know about the data and the files. */
    public record Backfilled(RunbookHistory history, PrometheusProcess prometheus, Path policyFile, String defaultPolicyYaml) {
    }

    private Backfilled backfilled;

    @Override
    public Map<String, String> start() {
        RunbookHistory history = RunbookHistory.endingBefore(Instant.now());
        PrometheusProcess prometheus = Backfill.server("runbook-history", history.openMetrics());
        try {
            Path dir = Files.createTempDirectory("rwa-policy-");
            Path file = dir.resolve("policy.yaml");
            String yaml = new ObjectMapper(new YAMLFactory()).writeValueAsString(ReceiverPolicy.defaults().toDocument());
            Files.writeString(file, yaml);
            backfilled = new Backfilled(history, prometheus, file, yaml);
            return Map.of("autoscaler.prometheus.url", prometheus.baseUrl(),
                    "autoscaler.policy.file", file.toString());
        } catch (IOException e) {
            prometheus.stop();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(backfilled, new TestInjector.MatchesType(Backfilled.class));
    }

    @Override
    public void stop() {
        if (backfilled != null) {
            backfilled.prometheus().stop();
            try {
                Files.deleteIfExists(backfilled.policyFile());
                Files.deleteIfExists(backfilled.policyFile().getParent());
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
