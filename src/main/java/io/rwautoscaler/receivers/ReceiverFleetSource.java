package io.rwautoscaler.receivers;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The receive StatefulSet's replicas and whether an HPA owns them: from the Kubernetes API, or in local mode
 * from kube-state-metrics series.
 */
public interface ReceiverFleetSource {

    Observation observe(Instant now);

    /**
     * @param replicas  the StatefulSet's desired replicas; empty when it was not found (then {@code problem} says why)
     * @param hpaOwned  an HPA targets the StatefulSet (or ownership could not be ruled out)
     * @param hpa       the HPA's name, or why ownership is assumed
     * @param hpaMetrics whether the HPA gets its metrics (its ScalingActive condition), when an HPA owns the replicas
     */
    record Observation(String statefulSet, Optional<Integer> replicas, boolean hpaOwned, Optional<String> hpa,
                       Optional<String> hpaMetrics, Optional<String> problem) {

        public Observation {
            Objects.requireNonNull(statefulSet, "statefulSet");
            replicas = Objects.requireNonNullElse(replicas, Optional.empty());
            hpa = Objects.requireNonNullElse(hpa, Optional.empty());
            hpaMetrics = Objects.requireNonNullElse(hpaMetrics, Optional.empty());
            problem = Objects.requireNonNullElse(problem, Optional.empty());
        }

        public static Observation missing(String statefulSet, String why) {
            return new Observation(statefulSet, Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.of(why));
        }

        public boolean found() {
            return replicas.isPresent();
        }
    }
}
