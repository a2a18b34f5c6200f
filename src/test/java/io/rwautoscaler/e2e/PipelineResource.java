package io.rwautoscaler.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rwautoscaler.testsupport.RemoteWritePipeline;

import java.util.Map;

/**
 * Starts the real Prometheus pipeline (receiver, healthy and broken agent, scraper) before the app and points
 * the app at the scraper. Each test class gets its own processes, so a class may kill and restart them.
 */
public class PipelineResource implements QuarkusTestResourceLifecycleManager {

    private RemoteWritePipeline pipeline;

    @Override
    public Map<String, String> start() {
        pipeline = RemoteWritePipeline.dedicated().start();
        return Map.of("autoscaler.prometheus.url", pipeline.scraperUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(pipeline, new TestInjector.MatchesType(RemoteWritePipeline.class));
    }

    @Override
    public void stop() {
        if (pipeline != null) {
            pipeline.stop();
        }
    }
}
