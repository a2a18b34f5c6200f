package io.rwautoscaler.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts a {@link CannedPrometheusServer} before the app, points the app at it, and injects it into the test. */
public class CannedPrometheusServerResource implements QuarkusTestResourceLifecycleManager {

    private CannedPrometheusServer fake;

    @Override
    public Map<String, String> start() {
        fake = new CannedPrometheusServer();
        return Map.of("autoscaler.prometheus.url", fake.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.MatchesType(CannedPrometheusServer.class));
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
