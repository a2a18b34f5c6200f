package io.rwautoscaler.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Starts a {@link CannedKubePrometheusServer} before the app, points the app at it, and injects it into the test. Init
 * arguments: {@code range-delay-ms}, every range query answers that late from the start; {@code hold-range-queries=true},
 * range queries wait from the start until the test calls {@link CannedKubePrometheusServer#releaseRangeQueries()}.
 */
public class CannedKubePrometheusServerResource implements QuarkusTestResourceLifecycleManager {

    private CannedKubePrometheusServer prometheus;
    private long rangeDelayMillis;
    private boolean holdRangeQueries;

    @Override
    public void init(Map<String, String> initArgs) {
        rangeDelayMillis = Long.parseLong(initArgs.getOrDefault("range-delay-ms", "0"));
        holdRangeQueries = Boolean.parseBoolean(initArgs.getOrDefault("hold-range-queries", "false"));
    }

    @Override
    public Map<String, String> start() {
        prometheus = new CannedKubePrometheusServer();
        prometheus.delay(q -> rangeDelayMillis);
        if (holdRangeQueries) {
            prometheus.holdRangeQueries();
        }
        return Map.of("autoscaler.prometheus.url", prometheus.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(prometheus, new TestInjector.MatchesType(CannedKubePrometheusServer.class));
    }

    @Override
    public void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }
}
