package io.rwautoscaler.metrics;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Starts the first metrics refresh as soon as start-up is done instead of one refresh interval later: readiness
 * waits for it, and the scheduler's first tick comes before the application counts as running, so
 * {@code skipExecutionIf(ApplicationNotRunning)} skips it. In the background, so a slow or absent Prometheus does
 * not hold up start-up. With the scheduler off (tests drive {@code runOnce} themselves) it does nothing, and the
 * refresher is not even created here.
 */
@ApplicationScoped
class FirstRefresh {

    private static final Logger LOG = Logger.getLogger(FirstRefresh.class);

    void onStart(@Observes StartupEvent event,
                 @ConfigProperty(name = "quarkus.scheduler.enabled", defaultValue = "true") boolean scheduled,
                 Instance<SnapshotRefresher> refresher, ManagedExecutor executor) {
        if (!scheduled) {
            return;
        }
        executor.runAsync(() -> refresher.get().runUnlessRunning()).exceptionally(e -> {
            LOG.warnf("first refresh failed, the scheduled ones will retry: %s", e.getMessage());
            return null;
        });
    }
}
