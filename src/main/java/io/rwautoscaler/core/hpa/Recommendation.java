package io.rwautoscaler.core.hpa;

import java.time.Instant;
import java.util.Objects;

/** Upstream's {@code timestampedRecommendation}: an unstabilized recommendation and when it was made. */
public record Recommendation(int replicas, Instant at) {
    public Recommendation {
        Objects.requireNonNull(at, "at");
    }
}
