package io.rwautoscaler.testsupport;

import io.quarkus.runtime.configuration.DurationConverter;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.PrometheusConfig;
import io.rwautoscaler.config.ShardsConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.time.Duration;
import java.util.Map;

/** The real @ConfigMapping interfaces, built from a few properties plus their defaults, without starting Quarkus. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(ShardsConfig.class)
                .withMapping(MetricsConfig.class)
                .withMapping(PrometheusConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
    }

    public static ShardsConfig shards(Map<String, String> properties) {
        return config(properties).getConfigMapping(ShardsConfig.class);
    }
}
