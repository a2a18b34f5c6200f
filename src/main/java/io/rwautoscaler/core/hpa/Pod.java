package io.rwautoscaler.core.hpa;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the controller reads from a pod of the scale target: phase, deletion, start time, the Ready condition
 * and the resource requests.
 *
 * @param deleting          whether the pod has a deletion timestamp (such pods are ignored, like failed ones)
 * @param ready             the {@code Ready} condition, absent when the pod has none
 * @param podRequestsMilli  pod-level requests ({@code spec.resources.requests}, KEP-2837) by resource, in
 *                          milli-units; empty when the pod sets none, the usual case
 */
public record Pod(String name, PodPhase phase, boolean deleting, Optional<Instant> startTime,
                  Optional<ReadyCondition> ready, List<Container> containers, Map<String, Long> podRequestsMilli) {

    public Pod {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        startTime = startTime == null ? Optional.empty() : startTime;
        ready = ready == null ? Optional.empty() : ready;
        containers = List.copyOf(Objects.requireNonNull(containers, "containers"));
        podRequestsMilli = Map.copyOf(podRequestsMilli == null ? Map.of() : podRequestsMilli);
    }

    /** A running pod, started at {@code startTime}, Ready since then, with these containers. */
    public static Pod running(String name, Instant startTime, List<Container> containers) {
        return new Pod(name, PodPhase.RUNNING, false, Optional.of(startTime),
                Optional.of(new ReadyCondition(ConditionStatus.TRUE, startTime)), containers, Map.of());
    }

    /** The pod's {@code Ready} condition. */
    public record ReadyCondition(ConditionStatus status, Instant lastTransitionTime) {
        public ReadyCondition {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
        }
    }

    /**
     * A container with its requests in milli-units by resource name.
     *
     * @param restartableInit an init container with {@code restartPolicy: Always} (a sidecar): counted with the
     *                        regular containers, other init containers are not
     */
    public record Container(String name, Map<String, Long> requestsMilli, boolean restartableInit) {
        public Container {
            Objects.requireNonNull(name, "name");
            requestsMilli = Map.copyOf(requestsMilli);
        }

        public static Container of(String name, Map<String, Long> requestsMilli) {
            return new Container(name, requestsMilli, false);
        }
    }
}
