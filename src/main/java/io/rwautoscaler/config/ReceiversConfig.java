package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Which pods are Thanos Receive, and which agents write to them. */
@ConfigMapping(prefix = "autoscaler.receivers")
public interface ReceiversConfig {

    /** Label selector of the receive pods (runbook: {@code app=thanos-receive}). */
    @WithDefault("app=thanos-receive")
    String podSelector();

    /**
     * Label selector, on series labels, of the agents whose queues feed these receivers;
     * empty = every agent in the cluster.
     */
    Optional<String> agentSelector();
}
