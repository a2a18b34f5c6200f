package io.rwautoscaler.core.replay;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The receivers' HPA replayed, or why it was not.
 *
 * @param name             the HPA's {@code namespace/name}; empty when there is none to replay
 * @param absentBecause    why the HPA part is missing (no Kubernetes API, no HPA on the StatefulSet, an invalid spec)
 * @param syncs            controller syncs run
 * @param failedSyncs      syncs where some or all of the HPA's metrics could not be read (upstream then scales on
 *                         the others, or not at all)
 * @param events           every rescale, as upstream's SuccessfulRescale event
 * @param replicaHours     replica-hours the HPA's fleet would have run
 * @param versusPolicy     periods when the policy's replayed fleet and the HPA's differ in size
 */
public record HpaReplayResult(Optional<String> name, Optional<String> absentBecause, int syncs, int failedSyncs,
                              List<Rescale> events, double replicaHours, List<Difference> versusPolicy,
                              List<String> notes) {

    /** One rescale: when, from, to, and upstream's event message ({@code New size: 5; reason: ...}). */
    public record Rescale(Instant at, int from, int to, String message) {
        public Rescale {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A stretch of decision steps where the policy's fleet and the HPA's differ: the policy would have scaled and
     * the HPA not (yet), or the reverse; min/max are over the stretch.
     */
    public record Difference(Instant from, Instant to, int policyMin, int policyMax, int hpaMin, int hpaMax,
                             String direction) {
    }

    public HpaReplayResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(absentBecause, "absentBecause");
        events = List.copyOf(events);
        versusPolicy = List.copyOf(versusPolicy);
        notes = List.copyOf(notes);
    }

    public static HpaReplayResult absent(String because) {
        return new HpaReplayResult(Optional.empty(), Optional.of(because), 0, 0, List.of(), Double.NaN, List.of(),
                List.of());
    }

    public boolean available() {
        return name.isPresent();
    }
}
