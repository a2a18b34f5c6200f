package io.rwautoscaler.prometheus;

import io.rwautoscaler.core.model.Sample;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A parsed query answer. Instant queries fill {@code vector} (a scalar becomes one series without labels);
 * range queries fill {@code matrix}. {@code warnings} are never dropped: the client logs and counts them.
 */
public record QueryResult(List<Sample> vector, List<Series> matrix, List<String> warnings, URI servedBy) {

    /** One series of a range query. */
    public record Series(Map<String, String> labels, List<Sample> points) {
    }
}
