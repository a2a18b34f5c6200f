package io.rwautoscaler.testsupport;

import io.rwautoscaler.prometheus.Prometheus;

import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.prometheus.PrometheusException;
import io.rwautoscaler.prometheus.QueryResult;
import io.rwautoscaler.prometheus.RangeMatrix;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The in-memory {@link Prometheus}: answers from a table, by exact query text, else by the first registered
 * fragment the query contains, else no series. Range queries answer from the same table (samples) or from
 * {@link #answerMatrix} (matrices; none registered is no series). Records every query asked and its time
 * ({@code null} for an instant query at Prometheus' "now", the range's end for range queries). For an HTTP
 * server with canned answers see {@code CannedPrometheusServer}; for a real one, {@code PrometheusProcess}.
 */
public final class FakePrometheus implements Prometheus {

    public static final URI SERVED_BY = URI.create("http://fake-prometheus:9090");

    private final Map<String, Function<String, QueryResult>> exact = new HashMap<>();
    private final Map<String, Function<String, QueryResult>> containing = new java.util.LinkedHashMap<>();
    private final Map<String, RangeMatrix> matrices = new HashMap<>();
    public final List<String> asked = new ArrayList<>();
    public final List<Instant> times = new ArrayList<>();

    public FakePrometheus answer(String query, double... values) {
        exact.put(query, q -> result(values));
        return this;
    }

    public FakePrometheus answerContaining(String fragment, double... values) {
        containing.put(fragment, q -> result(values));
        return this;
    }

    public FakePrometheus failContaining(String fragment, PrometheusException.Reason reason) {
        containing.put(fragment, q -> {
            throw new PrometheusException(reason, "fake " + reason + " for " + q);
        });
        return this;
    }

    public FakePrometheus failEverything(PrometheusException.Reason reason) {
        containing.put("", q -> {
            throw new PrometheusException(reason, "fake " + reason);
        });
        return this;
    }

    public FakePrometheus answerMatrix(String query, RangeMatrix matrix) {
        matrices.put(query, matrix);
        return this;
    }

    public void clear() {
        exact.clear();
        containing.clear();
        matrices.clear();
    }

    @Override
    public QueryResult query(String promql) {
        return query(promql, null);
    }

    @Override
    public QueryResult queryRange(String promql, Instant start, Instant end, Duration step) {
        return query(promql, end);
    }

    @Override
    public RangeMatrix queryRangeMatrix(String promql, Instant start, Instant end, Duration step, Duration timeout) {
        asked.add(promql);
        times.add(end);
        return matrices.getOrDefault(promql, new RangeMatrix(List.of(), List.of(), SERVED_BY));
    }

    @Override
    public QueryResult query(String promql, Instant at) {
        asked.add(promql);
        times.add(at);
        Function<String, QueryResult> answer = exact.get(promql);
        if (answer == null) {
            answer = containing.entrySet().stream().filter(e -> promql.contains(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(q -> result());
        }
        return answer.apply(promql);
    }

    public static QueryResult result(double... values) {
        List<Sample> vector = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            vector.add(new Sample(Map.of("i", Integer.toString(i)), values[i], Instant.EPOCH));
        }
        return new QueryResult(vector, List.of(), List.of(), SERVED_BY);
    }
}
