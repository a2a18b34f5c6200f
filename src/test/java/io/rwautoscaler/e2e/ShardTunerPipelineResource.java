package io.rwautoscaler.e2e;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rwautoscaler.testsupport.ShardTunerPipeline;

import java.util.Map;

/** Starts the shard tuner's real-Prometheus pipeline before the app and points the app at its scraper. */
public class ShardTunerPipelineResource implements QuarkusTestResourceLifecycleManager {

    private ShardTunerPipeline pipeline;

    @Override
    public Map<String, String> start() {
        pipeline = ShardTunerPipeline.start();
        return Map.of("autoscaler.prometheus.url", pipeline.scraperUrl());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(pipeline, new TestInjector.MatchesType(ShardTunerPipeline.class));
    }

    @Override
    public void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }
}
