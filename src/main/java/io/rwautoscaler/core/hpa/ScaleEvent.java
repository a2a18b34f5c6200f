package io.rwautoscaler.core.hpa;

import java.time.Instant;
import java.util.Objects;

/**
 * Upstream's {@code timestampedScaleEvent}: a scaling the controller made, as a positive replica change (kept in
 * separate lists for up and down), when, and whether it is older than the longest policy period (an outdated
 * slot is reused by the next event instead of growing the list).
 */
public record ScaleEvent(int replicaChange, Instant at, boolean outdated) {
    public ScaleEvent {
        Objects.requireNonNull(at, "at");
    }

    ScaleEvent markedOutdated() {
        return new ScaleEvent(replicaChange, at, true);
    }
}
