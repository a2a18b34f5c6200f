package io.rwautoscaler.prometheus;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A range query's answer held in primitive arrays: a week of 5 m points for a thousand containers is two million
 * points, which as {@link QueryResult} samples (an object, an Instant and a label map each) would cost hundreds of
 * megabytes.
 */
public record RangeMatrix(List<Series> series, List<String> warnings, URI servedBy) {

    /** One series: its labels (without {@code __name__}) and its points in time order; values may be NaN. */
    public record Series(Map<String, String> labels, long[] epochMillis, double[] values) {
    }
}
