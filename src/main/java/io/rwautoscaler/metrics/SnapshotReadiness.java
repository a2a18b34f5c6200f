package io.rwautoscaler.metrics;

import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.time.Instant;

/**
 * Ready once every rule has been refreshed successfully, and only while none is older than
 * {@code autoscaler.metrics.max-staleness}: a replica with stale data should not get HPA traffic.
 */
@Readiness
@ApplicationScoped
public class SnapshotReadiness implements HealthCheck {

    @Inject
    SnapshotHolder holder;
    @Inject
    MetricsConfig config;
    @Inject
    Clock clock;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("metrics-snapshot");
        Snapshot s = holder.current().orElse(null);
        if (s == null) {
            return b.down().withData("reason", "first refresh not done yet").build();
        }
        Instant now = clock.instant();
        boolean up = true;
        for (MetricRule r : s.rules().values()) {
            var why = s.staleness(r.name(), now, config.maxStaleness());
            if (why.isPresent()) {
                up = false;
                b.withData(r.name(), why.get());
            } else {
                b.withData(r.name(), "fresh, " + s.data(r.name()).map(d -> d.samples().size()).orElse(0) + " series");
            }
        }
        return b.status(up).build();
    }
}
