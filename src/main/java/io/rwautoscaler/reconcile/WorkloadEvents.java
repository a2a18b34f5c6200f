package io.rwautoscaler.reconcile;

import io.rwautoscaler.core.model.ObjectRef;

import java.time.Instant;

/** Tells people about a workload where they look: a Kubernetes Event in cluster mode, nothing in local mode. */
@FunctionalInterface
public interface WorkloadEvents {

    WorkloadEvents NONE = (workload, reason, message, at) -> {
    };

    /** @throws RuntimeException when it could not be recorded; the caller tries again next run */
    void record(ObjectRef workload, String reason, String message, Instant at);
}
