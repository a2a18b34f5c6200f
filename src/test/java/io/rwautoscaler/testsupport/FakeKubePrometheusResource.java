package io.rwautoscaler.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts a {@link FakeKubePrometheus} before the app, points the app at it, and injects it into the test. */
public class FakeKubePrometheusResource implements QuarkusTestResourceLifecycleManager {

    private FakeKubePrometheus prometheus;

    @Override
    public Map<String, String> start() {
        prometheus = new FakeKubePrometheus();
        return Map.of("autoscaler.prometheus.url", prometheus.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(prometheus, new TestInjector.MatchesType(FakeKubePrometheus.class));
    }

    @Override
    public void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }
}
