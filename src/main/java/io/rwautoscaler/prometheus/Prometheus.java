package io.rwautoscaler.prometheus;

import java.time.Duration;
import java.time.Instant;

/**
 * The one Prometheus interface every capability reads through: {@link PrometheusClient} (HTTP, Prometheus or
 * Thanos Query) in production, {@code testsupport.FakePrometheus} (an in-memory table) in tests. Each method
 * throws {@link PrometheusException} when there is no usable answer.
 */
public interface Prometheus {

    /** Instant query at Prometheus' own "now". */
    QueryResult query(String promql);

    /** Instant query evaluated at {@code at}. */
    QueryResult query(String promql, Instant at);

    /** Range query, answered as samples. */
    QueryResult queryRange(String promql, Instant start, Instant end, Duration step);

    /** Range query for large answers, read into primitive arrays, with its own timeout. */
    RangeMatrix queryRangeMatrix(String promql, Instant start, Instant end, Duration step, Duration timeout);
}
