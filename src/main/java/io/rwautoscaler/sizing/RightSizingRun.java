package io.rwautoscaler.sizing;

import io.rwautoscaler.core.sizing.RightSizingReport;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One completed right-sizing run: the report, and what the report cannot show by itself: which namespaces' data
 * is incomplete and why ({@code partial}), and how the run went.
 *
 * @param partialReasons per namespace ({@code *} for all), the parts of the usage or inventory that are missing
 * @param notes          what was done differently than configured (a coarser step, smaller chunks)
 * @param usageQueries   range queries sent for usage, refused and failed ones included
 */
public record RightSizingRun(RightSizingReport report, Duration window, Duration step,
                             Map<String, List<String>> partialReasons, List<String> notes, Instant startedAt,
                             Duration took, int usageQueries) {

    public RightSizingRun {
        Objects.requireNonNull(report, "report");
        partialReasons = Map.copyOf(partialReasons);
        notes = List.copyOf(notes);
    }

    /** Some of the data is missing: never to be presented as complete. */
    public boolean partial() {
        return !partialReasons.isEmpty();
    }

    /** Why this workload's data is incomplete; empty when it is complete. */
    public List<String> partialReasons(WorkloadRecommendation item) {
        List<String> out = new ArrayList<>(partialReasons.getOrDefault(WorkloadInventory.ALL_NAMESPACES, List.of()));
        out.addAll(partialReasons.getOrDefault(item.namespace(), List.of()));
        return out;
    }

    /** Every reason once, in namespace order. */
    public List<String> allPartialReasons() {
        return partialReasons.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .flatMap(e -> e.getValue().stream()).distinct().toList();
    }
}
