package io.rwautoscaler.prometheus;

/** A query that got no usable answer. {@link #retryable()} says whether another URL may do better. */
public class PrometheusException extends RuntimeException {

    public enum Reason { UNREACHABLE, TIMEOUT, SERVER_ERROR, BAD_QUERY, TOO_LARGE, TOO_MANY_SERIES, BAD_RESPONSE }

    private final Reason reason;

    public PrometheusException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public PrometheusException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** A bad query is bad everywhere; anything else may work on the next URL. */
    public boolean retryable() {
        return reason != Reason.BAD_QUERY && reason != Reason.TOO_LARGE && reason != Reason.TOO_MANY_SERIES;
    }
}
