package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.model.Aggregation;
import io.rwautoscaler.core.model.MetricKind;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The three remote-write rules served out of the box. Every query is one batched query for all agents and
 * queues; a series is one queue ({@code remote_name}, {@code url}) of one agent (its target labels).
 */
public final class BuiltinRules {

    public static final String QUEUE_LENGTH = "prometheus_remote_storage_queue_length";
    public static final String LAG_SECONDS = "prometheus_remote_storage_lag_seconds";
    public static final String SHARDS_UTILIZATION = "prometheus_remote_storage_shards_utilization";

    private BuiltinRules() {
    }

    /** A rule as written in configuration, before rendering. */
    public record Definition(String name, String query, Optional<String> timestampQuery, Set<MetricKind> kinds,
                             Aggregation aggregation, Duration window, boolean distributeToReceivers,
                             String description) {
    }

    public static List<Definition> all() {
        // No aggregation: each series is one queue of one agent and keeps every target label (namespace, pod,
        // job, app, cluster, ...), so label selectors on series labels work. Prometheus >= 2.26 exposes
        // samples_pending, older versions pending_samples; `or` keeps whichever exists.
        String pending = "prometheus_remote_storage_samples_pending{<<.Matchers>>}"
                + " or prometheus_remote_storage_pending_samples{<<.Matchers>>}";
        String pendingTs = "timestamp(prometheus_remote_storage_samples_pending{<<.Matchers>>})"
                + " or timestamp(prometheus_remote_storage_pending_samples{<<.Matchers>>})";

        // Lag = newest sample in the WAL minus newest sample sent, per queue. The WAL's newest timestamp has no
        // queue labels, hence the group_right. Before a first successful send the sent timestamp does not
        // exist; then everything since the agent started is unsent, so the lag is at least (newest sample -
        // process start): reported instead of a false 0.
        String highest = "prometheus_remote_storage_highest_timestamp_in_seconds{<<.Matchers>>}";
        String lag = "(" + highest + " - ignoring(remote_name, url) group_right()"
                + " prometheus_remote_storage_queue_highest_sent_timestamp_seconds{<<.Matchers>>})"
                + " or (" + highest + " - ignoring(remote_name, url) group_right()"
                + " (prometheus_remote_storage_shards{<<.Matchers>>} * 0"
                + " + ignoring(remote_name, url) group_left() process_start_time_seconds{<<.Matchers>>}))";
        String lagTs = "timestamp(prometheus_remote_storage_shards{<<.Matchers>>})";

        String utilization = "prometheus_remote_storage_shards_desired{<<.Matchers>>}"
                + " / prometheus_remote_storage_shards_max{<<.Matchers>>}";
        String utilizationTs = "timestamp(prometheus_remote_storage_shards_desired{<<.Matchers>>})";

        Set<MetricKind> both = Set.of(MetricKind.CUSTOM, MetricKind.EXTERNAL);
        return List.of(
                new Definition(QUEUE_LENGTH, pending, Optional.of(pendingTs), both, Aggregation.SUM, Duration.ZERO, true,
                        "samples waiting in the agent's remote-write queues"),
                new Definition(LAG_SECONDS, lag, Optional.of(lagTs), both, Aggregation.MAX, Duration.ZERO, false,
                        "seconds between the newest sample in the WAL and the newest sample sent, per queue"),
                new Definition(SHARDS_UTILIZATION, utilization, Optional.of(utilizationTs), both, Aggregation.MAX,
                        Duration.ZERO, false, "shards_desired / shards_max per queue; above 1 the bound holds the queue back"));
    }
}
