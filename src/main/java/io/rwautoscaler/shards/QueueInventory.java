package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.Agent;

import java.util.List;

/**
 * Where the agents and their remoteWrite entries come from: PrometheusAgent/Prometheus resources (cluster mode),
 * or the series themselves with the config the agents report in their gauges (local mode).
 */
public interface QueueInventory {

    /** @param observed this cycle's figures; local mode builds the agents from them */
    List<Agent> agents(ObservedQueues observed);
}
