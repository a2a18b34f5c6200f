package io.rwautoscaler.sizing;

import io.rwautoscaler.core.model.ObjectRef;

import java.time.Instant;

/** Tells people about a workload where they look: a Kubernetes Event in cluster mode, nothing in local mode. */
@FunctionalInterface
public interface WorkloadEvents {

    WorkloadEvents NONE = (workload, reason, message, at) -> true;

    /**
     * @return false when this replica may not record it (not the leader); the caller asks again next run
     * @throws RuntimeException when it could not be recorded; the caller tries again next run
     */
    boolean record(ObjectRef workload, String reason, String message, Instant at);
}
