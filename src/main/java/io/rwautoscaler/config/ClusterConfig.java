package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * Which cluster this deployment serves, when one Thanos Query holds several clusters' series: it becomes the
 * {@code cluster} label of the service's own metrics and is named in Events and reports.
 */
@ConfigMapping(prefix = "autoscaler")
public interface ClusterConfig {

    /** Name of this cluster, e.g. {@code cluster-03}; absent = a single-cluster setup, no label. */
    Optional<String> cluster();
}
