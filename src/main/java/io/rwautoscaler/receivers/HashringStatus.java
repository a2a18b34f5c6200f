package io.rwautoscaler.receivers;

import io.rwautoscaler.core.receivers.HashringOutcome;

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
                             HashringOutcome outcome, Optional<Boolean> inSync, List<String> desiredEndpoints,
                             List<String> currentEndpoints, Optional<Instant> lastChange, boolean rolled, String message) {

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
        return outcome.writes();
    }

    public static HashringStatus notManaged(Instant now, String configMap, String key, String why) {
        return new HashringStatus(now, false, false, configMap, key, HashringOutcome.NOT_MANAGED, Optional.empty(), List.of(),
                List.of(), Optional.empty(), false, why);
    }
}
