package io.rwautoscaler.core.sizing;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The decision for one resource of one container. Amounts are in the resource's unit: cores for CPU, bytes for
 * memory (exact as a double up to 8 PiB).
 *
 * @param recommendedRequest empty when there was not enough data
 * @param recommendedLimit   empty when no limit is set and none is needed; limits are only ever raised
 * @param delta              (recommended − current) / current request, e.g. −0.6 for −60 %; empty without either
 * @param reason             how the number came about, for people: "cpu p95 0.18 cores × 1.1 = 0.198 → 200m, ..."
 */
public record ResourceSizing(SizedResource resource, UsageStatistics usage, OptionalDouble currentRequest,
                             OptionalDouble recommendedRequest, OptionalDouble currentLimit,
                             OptionalDouble recommendedLimit, OptionalDouble delta, Verdict verdict, String reason) {

    public ResourceSizing {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean flagged() {
        return verdict.flagged();
    }

    /** What the flag proposes to set: the recommendation when flagged, otherwise what is set now. */
    public OptionalDouble proposedRequest() {
        return flagged() ? recommendedRequest : currentRequest;
    }

    public OptionalDouble proposedLimit() {
        return flagged() ? recommendedLimit : currentLimit;
    }
}
