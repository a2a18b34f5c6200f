package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The receiver scaling policy loop: where the policy comes from, how often it is evaluated, and whether its
 * recommendations are applied. Every key is listed with its default in the README.
 */
@ConfigMapping(prefix = "autoscaler.policy")
public interface ReceiverPolicyConfig {

    /** Run the loop at all. */
    @WithDefault("true")
    boolean enabled();

    /**
     * The policy file (YAML, mounted from a ConfigMap); absent = the built-in defaults (the runbook's table).
     * Re-read each cycle; a change takes effect when it validates, otherwise the previous policy stays.
     */
    Optional<Path> file();

    /** How often the rules are evaluated; a cycle still running when the next is due is skipped. */
    @WithDefault("30s")
    Duration every();

    /** {@code recommend}: report only. {@code apply}: patch replicas and PVCs (leader only). */
    @WithDefault("recommend")
    Mode mode();

    /** Minimum time between two changes of one target (the StatefulSet's replicas, one PVC). */
    @WithDefault("10m")
    Duration cooldown();

    /**
     * The samples/s the agents offer, which sizes the receiver fleet. Agents count every sample appended for
     * remote write, sent or still queued, so the demand shows even while the receivers are the bottleneck.
     */
    @WithDefault("sum(rate(prometheus_remote_storage_samples_in_total[5m]))")
    String samplesQuery();

    /** Check each rule's PromQL against Prometheus when a policy is loaded (a rejected query rejects the policy). */
    @WithDefault("true")
    boolean checkQueries();

    /** A PVC resize multiplies the current size by this (the runbook: 100Gi → 200Gi), rounded up to a whole Gi. */
    @WithDefault("2")
    double volumeGrowth();

    /** Largest size a resize may set (a Kubernetes quantity such as {@code 1Ti}); absent = no limit. */
    Optional<String> volumeMax();

    enum Mode { RECOMMEND, APPLY }
}
