package io.rwautoscaler.core.hpa;

/** The replica calculator could not propose a count for one metric; the message is upstream's. */
public class ReplicaCalculationException extends RuntimeException {

    public ReplicaCalculationException(String message) {
        super(message);
    }
}
