package io.rwautoscaler.core.sizing;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * For a workload an HPA scales on CPU or memory utilization: the replicas its average utilization needs at the
 * HPA's target, within the HPA's bounds. Requests of those resources are left alone, since a new request would
 * change what the HPA does.
 *
 * @param cpuUtilization    mean CPU usage / CPU request over the window (0.35 for 35 %), when the HPA targets CPU
 * @param memoryUtilization the same for memory
 * @param delta             (recommended − current) / current
 */
public record ReplicaRecommendation(int current, int recommended, int minReplicas, int maxReplicas,
                                    OptionalDouble cpuUtilization, OptionalDouble memoryUtilization,
                                    OptionalDouble delta, Verdict verdict, String reason) {

    public ReplicaRecommendation {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean flagged() {
        return verdict.flagged();
    }

    /** What the flag proposes: the recommendation when flagged, otherwise the current count. */
    public int proposed() {
        return flagged() ? recommended : current;
    }
}
