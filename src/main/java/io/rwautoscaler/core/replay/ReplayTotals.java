package io.rwautoscaler.core.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The replay in a few numbers.
 *
 * @param decisions          decisions per loop
 * @param applied            of those, the ones apply mode would have made
 * @param replayedReplicaHours receiver replica-hours the replayed fleet would have run
 * @param recordedReplicaHours receiver replica-hours the cluster really ran, over the steps where it is known
 * @param recordedCoverage   the share of steps where the real replicas are known (0–1)
 * @param disagreements      periods when the replayed fleet and the real one differed in size
 */
public record ReplayTotals(Map<String, Integer> decisions, Map<String, Integer> applied, double replayedReplicaHours,
                           double recordedReplicaHours, double recordedCoverage, List<Disagreement> disagreements) {

    /**
     * A stretch of steps where the replayed replicas differ from the real ones: the policy would have scaled
     * and the cluster (its HPA, or whoever set the replicas) did not, or the reverse.
     */
    public record Disagreement(Instant from, Instant to, int replayedMin, int replayedMax, double recordedMin,
                               double recordedMax, String direction) {
    }

    public ReplayTotals {
        decisions = Map.copyOf(decisions);
        applied = Map.copyOf(applied);
        disagreements = List.copyOf(disagreements);
    }
}
