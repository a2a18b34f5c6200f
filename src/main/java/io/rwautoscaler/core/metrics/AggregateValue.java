package io.rwautoscaler.core.metrics;

import java.time.Instant;

/**
 * One value for a whole set of series (the rule's aggregation over them), e.g. the agents' total queue that KEDA's
 * external scaler hands to its HPA.
 *
 * @param timestamp the newest sample time among the series
 * @param series    how many series went into it
 */
public record AggregateValue(String metric, double value, Instant timestamp, int series) {
}
