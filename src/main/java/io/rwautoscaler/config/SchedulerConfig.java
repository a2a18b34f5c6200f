package io.rwautoscaler.config;

import io.quarkus.arc.Unremovable;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * When the scheduled loops start. The loops read the key through their {@code @Scheduled(delayed = ...)}
 * expression; the mapping makes it a known key, so setting it is accepted and a typo in it is not. Nothing injects
 * it, so {@code @Unremovable} keeps Quarkus from skipping its registration.
 */
@Unremovable
@ConfigMapping(prefix = "autoscaler.scheduler")
public interface SchedulerConfig {

    /** Scheduled loops start this long after start-up (the first metrics refresh runs at once). */
    @WithDefault("5s")
    Duration firstDelay();
}
