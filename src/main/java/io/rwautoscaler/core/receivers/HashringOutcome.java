package io.rwautoscaler.core.receivers;

/** What one hashring sync found and did; {@code /api/v1/receivers} → {@code hashring.outcome}. */
public enum HashringOutcome {
    /** The ConfigMap lists exactly the ready pods. */
    IN_SYNC,
    /** It was missing and has been created. */
    CREATED,
    /** Membership changed (pods added, removed, turned unready) and it was rewritten. */
    UPDATED,
    /** It had been edited by hand; rewritten, with a Warning Event. */
    OVERWRITTEN,
    /**
     * It differs but another controller manages it (its managed-by label, or the field manager of its key) and
     * take-over is off: not written, with a Warning Event.
     */
    REFUSED_OTHER_CONTROLLER,
    /** It differs but was not written: sync is off, or this replica is not the leader. */
    OUT_OF_SYNC,
    /** No ready pod: the current hashring is kept, because an empty one would drop every write. */
    HELD_NO_READY_POD,
    /** A rollout of the receivers is running (roll-on-change): the write waits for it to finish. */
    HELD_ROLLOUT,
    /** The StatefulSet is gone: nothing is written. */
    STATEFULSET_MISSING,
    /** The Kubernetes API failed; retried next sync. */
    FAILED,
    /** Local mode: no Kubernetes API, the hashring is not managed. */
    NOT_MANAGED;

    /** The ConfigMap is written: created, or patched. */
    public boolean writes() {
        return this == CREATED || this == UPDATED || this == OVERWRITTEN;
    }
}
