package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * One actor among replicas: only the holder of a {@code coordination.k8s.io/v1} Lease patches resources and writes
 * events; the others compute and report. Local mode has no Kubernetes and is always the actor.
 */
@ConfigMapping(prefix = "autoscaler.leader-election")
public interface LeaderElectionConfig {

    /** Elect a leader through a Lease; when false every replica acts (run a single replica then). */
    @WithDefault("true")
    boolean enabled();

    /** Name of the Lease. */
    @WithDefault("remote-write-autoscaler")
    String leaseName();

    /** Namespace of the Lease; default: the client's namespace (the pod's own, in a cluster). */
    Optional<String> namespace();

    /** This replica's identity in the Lease; default: the HOSTNAME environment variable (the pod name). */
    Optional<String> identity();

    /** How long a leader's claim lasts without renewal (whole seconds). */
    @WithDefault("15s")
    Duration leaseDuration();

    /** The leader steps down when it could not renew for this long; shorter than the lease duration. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often to try to acquire or renew. */
    @WithDefault("2s")
    Duration retryPeriod();
}
