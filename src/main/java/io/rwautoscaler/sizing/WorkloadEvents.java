package io.rwautoscaler.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.kube.EventReason;

import java.time.Instant;

/** Tells people about a workload where they look: a Kubernetes Event in cluster mode, nothing in local mode. */
@FunctionalInterface
public interface WorkloadEvents {

    WorkloadEvents NONE = (workload, reason, message, at) -> true;

    /**
     * @return false when it was not recorded (not the leader, or the API refused it); the caller asks again next run
     */
    boolean record(ObjectRef workload, EventReason reason, String message, Instant at);
}
