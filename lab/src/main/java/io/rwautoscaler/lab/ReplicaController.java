package io.rwautoscaler.lab;

/**
 * Something that sets the receivers' replicas at each HPA sync: the product's port of the Kubernetes HPA
 * algorithm ({@code core.hpa}, through {@link CoreHpa}) for every HPA strategy. Kept as an interface so the rest of
 * the lab does not depend on that port's shape.
 */
public interface ReplicaController {

    /** One sync; returns the replicas to set (the current ones when nothing changes). */
    int sync(HpaInputs inputs);

    /** Why the last sync decided what it did, for the run's event log. */
    default String lastReason() {
        return "";
    }
}
