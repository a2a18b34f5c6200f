package io.rwautoscaler.core.hpa;

/** A metric the controller asked for could not be read (upstream: an error from the metrics client). */
public class MetricUnavailableException extends RuntimeException {

    public MetricUnavailableException(String message) {
        super(message);
    }
}
