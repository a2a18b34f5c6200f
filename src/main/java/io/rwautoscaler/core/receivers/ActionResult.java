package io.rwautoscaler.core.receivers;

/** What became of one recommendation at the point where a patch would be sent. */
public enum ActionResult {
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
