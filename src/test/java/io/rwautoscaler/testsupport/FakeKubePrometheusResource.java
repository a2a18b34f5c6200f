package io.rwautoscaler.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a {@link FakeKubePrometheus} before the app, points the app at it, and injects it into the test. Init
 * argument {@code range-delay-ms}: every range query answers that late from the start.
 */
public class FakeKubePrometheusResource implements QuarkusTestResourceLifecycleManager {

    private FakeKubePrometheus prometheus;
    private long rangeDelayMillis;

    @Override
    public void init(Map<String, String> initArgs) {
        rangeDelayMillis = Long.parseLong(initArgs.getOrDefault("range-delay-ms", "0"));
    }

    @Override
    public Map<String, String> start() {
        prometheus = new FakeKubePrometheus();
        prometheus.delay(q -> rangeDelayMillis);
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
