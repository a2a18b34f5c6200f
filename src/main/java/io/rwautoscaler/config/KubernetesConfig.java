package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Whether a Kubernetes API is there; local mode (profile {@code local}) turns it off. */
@ConfigMapping(prefix = "autoscaler.kubernetes")
public interface KubernetesConfig {

    /** Read pods from the Kubernetes API; when false, pods come from series labels (local mode). */
    @WithDefault("true")
    boolean enabled();
}
