package io.rwautoscaler.prometheus;

import java.net.URI;

/**
 * An answer with more series than {@code autoscaler.metrics.max-series}: refused while it was read, before it
 * was held, so a grown fleet or a rule without enough matchers cannot exhaust the heap. Not retried elsewhere.
 */
public final class SeriesLimitException extends PrometheusException {

    public static final String KEY = "autoscaler.metrics.max-series";

    private final int seen;
    private final int limit;

    SeriesLimitException(int seen, int limit, URI servedBy) {
        super(Reason.TOO_MANY_SERIES, servedBy + " answered " + seen + " series, over the limit of " + limit
                + " (" + KEY + "): add matchers to the query, or raise " + KEY + " with the memory limit");
        this.seen = seen;
        this.limit = limit;
    }

    public int seen() {
        return seen;
    }

    public int limit() {
        return limit;
    }
}
