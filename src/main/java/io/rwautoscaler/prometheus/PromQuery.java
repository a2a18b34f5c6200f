package io.rwautoscaler.prometheus;

import java.time.Instant;

/**
 * An instant query evaluated at a given time; {@code PrometheusClient::query} in production, a table in tests.
 * Throws {@link io.rwautoscaler.prometheus.PrometheusException} when there is no usable answer.
 */
@FunctionalInterface
public interface PromQuery {

    QueryResult query(String promql, Instant at);
}
