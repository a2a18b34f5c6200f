package io.rwautoscaler.runtime;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.rwautoscaler.config.ClusterConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * With {@code autoscaler.cluster} set, every metric of this service carries {@code cluster="<name>"}, so one
 * Prometheus or Thanos holding several clusters' autoscalers tells them apart.
 */
@Singleton
public class ClusterTag {

    @Produces
    @Singleton
    MeterFilter clusterTag(ClusterConfig config) {
        return config.cluster().filter(n -> !n.isBlank())
                .map(n -> MeterFilter.commonTags(Tags.of("cluster", n)))
                .orElse(new MeterFilter() {
                });
    }
}
