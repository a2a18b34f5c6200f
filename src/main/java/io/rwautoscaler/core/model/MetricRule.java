package io.rwautoscaler.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A served metric: its name in the metrics APIs, the PromQL that computes it for all series at once
 * (placeholders already rendered), and how its series map to objects.
 *
 * @param timestampQuery optional PromQL returning, per series, the time the underlying data was sampled;
 *                       without it, the query's evaluation time is the value's timestamp
 * @param aggregation    how several series describing one object combine
 * @param window         the window a rate was computed over; zero for instantaneous values
 * @param distributeToReceivers whether a {@code pods/*} request for receiver pods gets the feeding agents'
 *                       total spread evenly over the ready receivers (see README, "The runbook's HPA")
 */
public record MetricRule(String name, String query, Optional<String> timestampQuery, Set<MetricKind> kinds,
                         Aggregation aggregation, Duration window, boolean distributeToReceivers, String description) {
    public MetricRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(query, "query");
        timestampQuery = timestampQuery == null ? Optional.empty() : timestampQuery;
        kinds = Set.copyOf(kinds);
        Objects.requireNonNull(aggregation, "aggregation");
        window = window == null ? Duration.ZERO : window;
        description = description == null ? "" : description;
    }

    public boolean servedAs(MetricKind kind) {
        return kinds.contains(kind);
    }
}
