package io.rwautoscaler.receivers;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The hashring ConfigMap after one sync: whether it matches the receive StatefulSet's ready pods, what was
 * done about it, and why.
 *
 * @param inSync           empty when it cannot be told (no StatefulSet, no Kubernetes API)
 * @param desiredEndpoints the ready pods' endpoints, in ordinal order
 * @param currentEndpoints what the ConfigMap lists now (after any write of this sync)
 * @param lastChange       when this service last changed the ConfigMap (kept in an annotation on it)
 */
public record HashringStatus(Instant checkedAt, boolean managed, boolean sync, String configMap, String key,
                             Outcome outcome, Optional<Boolean> inSync, List<String> desiredEndpoints,
                             List<String> currentEndpoints, Optional<Instant> lastChange, boolean rolled, String message) {

    public enum Outcome {
        /** The ConfigMap lists exactly the ready pods. */
        IN_SYNC,
        /** It was missing and has been created. */
        CREATED,
        /** Membership changed (pods added, removed, turned unready) and it was rewritten. */
        UPDATED,
        /** It had been edited by hand; rewritten, with a Warning Event. */
        OVERWRITTEN,
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
        NOT_MANAGED
    }

    public HashringStatus {
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(outcome, "outcome");
        inSync = Objects.requireNonNullElse(inSync, Optional.empty());
        desiredEndpoints = List.copyOf(desiredEndpoints);
        currentEndpoints = List.copyOf(currentEndpoints);
        lastChange = Objects.requireNonNullElse(lastChange, Optional.empty());
        Objects.requireNonNull(message, "message");
    }

    public boolean wrote() {
        return outcome == Outcome.CREATED || outcome == Outcome.UPDATED || outcome == Outcome.OVERWRITTEN;
    }

    public static HashringStatus notManaged(Instant now, String configMap, String key, String why) {
        return new HashringStatus(now, false, false, configMap, key, Outcome.NOT_MANAGED, Optional.empty(), List.of(),
                List.of(), Optional.empty(), false, why);
    }
}
