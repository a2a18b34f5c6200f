package io.rwautoscaler.receivers;

import io.rwautoscaler.core.receivers.RuleAction;

import java.util.Objects;

/**
 * What became of one recommendation at the point where a patch would be sent.
 *
 * @param object the object changed or that would be (e.g. {@code statefulset/monitoring/thanos-receive},
 *               {@code persistentvolumeclaim/monitoring/data-thanos-receive-0})
 * @param change the change in one phrase ({@code replicas 3 → 6}, {@code storage 100Gi → 200Gi})
 */
public record ActionOutcome(RuleAction action, String object, String change, Result result, String detail) {

    public enum Result {
        /** Patched, after a successful server-side dry-run. */
        APPLIED,
        /** Would be patched, but {@code autoscaler.policy.mode=recommend}. */
        RECOMMENDED,
        /** Not changed by this loop by design: HPA-owned replicas, memory and shards (other loops). */
        REPORT_ONLY,
        /** Refused for a reason the operator must fix (StorageClass, target mismatch, invalid policy). */
        REFUSED,
        /** The same target changed less than the cooldown ago. */
        COOLDOWN,
        /** Waits for something in progress (a resize, a changed replica count) to settle. */
        WAITING,
        /** Another replica is the leader and acts. */
        NOT_LEADER,
        /** The Kubernetes API failed (dry-run or patch); retried next cycle. */
        FAILED
    }

    public ActionOutcome {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
    }
}
