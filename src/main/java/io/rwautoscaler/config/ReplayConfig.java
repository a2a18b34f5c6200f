package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/**
 * The replay ({@code GET /api/v1/replay}): what the loops would have done over past days. Every key is listed with
 * its default in the README's "Replay" section.
 */
@ConfigMapping(prefix = "autoscaler.replay")
public interface ReplayConfig {

    /** Serve replays at all. */
    @WithDefault("true")
    boolean enabled();

    /** The window when the request gives no {@code from}. */
    @WithDefault("7d")
    Duration defaultWindow();

    /** The decision step when the request gives none. */
    @WithDefault("5m")
    Duration defaultStep();

    /** Longest a replay may run (its queries and its steps); it is stopped then and the request answers 503. */
    @WithDefault("2m")
    Duration timeout();

    /** Timeout of one range query. */
    @WithDefault("60s")
    Duration queryTimeout();

    /**
     * Receiver policy rules whose value is a per-receiver figure (utilization of each receiver): rescaled by the
     * replicas the cluster had ÷ the replicas the replay runs, so the load is conserved.
     */
    @WithDefault("receiver-cpu-high,receiver-cpu-low,receiver-memory-high,receiver-memory-low")
    List<String> perReceiverRules();

    /**
     * Most values one replay holds (queues × figures × points): bounds its memory (4 bytes each). A week at 5 m for
     * 400 queues is about 10 million.
     */
    @WithDefault("40000000")
    long maxValues();
}
