package io.rwautoscaler.core.receivers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one hashring sync does, decided from what it observed ({@link HashringFacts}), how it may act
 * ({@link HashringSettings}) and whether this replica leads; the Kubernetes side only carries it out (create or patch
 * the ConfigMap, post the Event, roll the receivers).
 *
 * <p>In order: no StatefulSet, nothing written; no ready pod, the current hashring is held (an empty one would drop
 * every write); same membership, in sync; a rollout running (roll-on-change), held; sync off, reported; another
 * controller manages the ConfigMap and take-over is off, refused; not the leader, reported; otherwise written:
 * created when missing, updated when what is there is ours, overwritten (with a Warning) when it is not.
 *
 * @param outcome          what was found and what is to be done
 * @param inSync           empty when it cannot be told (no StatefulSet)
 * @param desiredEndpoints the ready pods' endpoints, in ordinal order
 * @param currentEndpoints what the ConfigMap lists once the plan is carried out
 * @param message          the report's reason, with the figures
 * @param event            the Event's message, when one is to be posted (the leader only): on the StatefulSet for
 *                         {@link HashringOutcome#HELD_NO_READY_POD}, on the ConfigMap otherwise
 * @param roll             after the write, roll the receivers (roll-on-change)
 * @param desired          the hashring to write, when the plan writes
 */
public record HashringPlan(HashringOutcome outcome, Optional<Boolean> inSync, List<String> desiredEndpoints,
                           List<String> currentEndpoints, String message, Optional<String> event, boolean roll,
                           Optional<Hashring> desired) {

    public HashringPlan {
        Objects.requireNonNull(outcome, "outcome");
        inSync = Objects.requireNonNullElse(inSync, Optional.empty());
        desiredEndpoints = List.copyOf(desiredEndpoints);
        currentEndpoints = List.copyOf(currentEndpoints);
        Objects.requireNonNull(message, "message");
        event = Objects.requireNonNullElse(event, Optional.empty());
        desired = Objects.requireNonNullElse(desired, Optional.empty());
    }

    /** The hashring to write: present exactly when {@link HashringOutcome#writes()}. */
    public Hashring toWrite() {
        if (!outcome.writes()) {
            throw new IllegalStateException(outcome + " writes nothing");
        }
        return desired.orElseThrow();
    }

    public static HashringPlan decide(HashringLayout layout, String key, HashringFacts facts, HashringSettings settings,
                                      boolean leader) {
        String ns = layout.namespace();
        List<String> current = facts.parsed().flatMap(p -> Hashring.parse(p)).map(HashringPlan::endpoints).orElse(List.of());
        if (!facts.statefulSetFound()) {
            return report(HashringOutcome.STATEFULSET_MISSING, Optional.empty(), List.of(), current,
                    "StatefulSet " + ns + "/" + layout.statefulSet() + " not found: nothing written, the ConfigMap is left as it is");
        }
        Hashring desired = Hashring.desired(layout, facts.pods());
        List<String> desiredEndpoints = endpoints(desired);

        if (!desired.servesEveryHashring()) {
            String why = "no ready pod of StatefulSet " + ns + "/" + layout.statefulSet() + " (" + facts.pods().size()
                    + " pods): keeping the current hashring, because an empty one would drop every write";
            return new HashringPlan(HashringOutcome.HELD_NO_READY_POD, Optional.of(false), desiredEndpoints, current, why,
                    leader ? Optional.of(why) : Optional.empty(), false, Optional.empty());
        }
        if (facts.keyPresent() && Hashring.sameMembership(facts.parsed().orElse(null), desired)) {
            return report(HashringOutcome.IN_SYNC, Optional.of(true), desiredEndpoints, current,
                    desiredEndpoints.size() + " ready receivers, all in the hashring");
        }

        boolean ours = facts.configMapExists() && facts.keyPresent() && facts.contentIsOurs();
        String difference = !facts.configMapExists() ? "ConfigMap missing"
                : !facts.keyPresent() ? "key " + key + " missing"
                : ours ? "membership changed: " + change(current, desiredEndpoints)
                : "edited by hand (not what remote-write-autoscaler last wrote)";
        if (facts.configMapExists() && settings.rollOnChange() && facts.rolloutRunning()) {
            return report(HashringOutcome.HELD_ROLLOUT, Optional.of(false), desiredEndpoints, current,
                    difference + "; a rollout of the receivers is running: the hashring waits for it to finish");
        }
        Optional<String> otherController = facts.ownership().otherController(key, ours);
        if (!settings.sync()) {
            return report(HashringOutcome.OUT_OF_SYNC, Optional.of(false), desiredEndpoints, current,
                    difference + otherController.map(o -> " (" + o + ")").orElse("")
                            + "; left alone: autoscaler.receivers.hashring.sync=false");
        }
        if (otherController.isPresent() && !settings.takeOver()) {
            String why = difference + "; not written: the ConfigMap is " + otherController.get()
                    + ", which would write it back. Leave the hashring to it, or let remote-write-autoscaler take it over"
                    + " (autoscaler.receivers.hashring.take-over=true) once that controller is stopped";
            return new HashringPlan(HashringOutcome.REFUSED_OTHER_CONTROLLER, Optional.of(false), desiredEndpoints, current,
                    why, leader ? Optional.of(key + " " + why) : Optional.empty(), false, Optional.empty());
        }
        if (!leader) {
            return report(HashringOutcome.OUT_OF_SYNC, Optional.of(false), desiredEndpoints, current,
                    difference + "; not the leader: the leader writes it");
        }

        HashringOutcome outcome;
        String event;
        if (!facts.configMapExists()) {
            outcome = HashringOutcome.CREATED;
            event = "created " + key + " with the " + desiredEndpoints.size() + " ready receivers of " + layout.statefulSet();
        } else if (ours) {
            outcome = HashringOutcome.UPDATED;
            event = key + ": " + change(current, desiredEndpoints);
        } else if (otherController.isPresent()) {
            outcome = HashringOutcome.OVERWRITTEN;
            event = key + " was " + otherController.get() + "; taken over (autoscaler.receivers.hashring.take-over=true) with the "
                    + desiredEndpoints.size() + " ready receivers of " + layout.statefulSet();
        } else {
            outcome = HashringOutcome.OVERWRITTEN;
            event = key + " was " + (!facts.keyPresent() ? "missing" : "edited by hand (it is not what remote-write-autoscaler last wrote)")
                    + "; overwritten with the " + desiredEndpoints.size() + " ready receivers of " + layout.statefulSet()
                    + ". To edit it by hand, set autoscaler.receivers.hashring.sync=false";
        }
        return new HashringPlan(outcome, Optional.of(true), desiredEndpoints, desiredEndpoints, difference, Optional.of(event),
                settings.rollOnChange(), Optional.of(desired));
    }

    private static HashringPlan report(HashringOutcome outcome, Optional<Boolean> inSync, List<String> desired,
                                       List<String> current, String message) {
        return new HashringPlan(outcome, inSync, desired, current, message, Optional.empty(), false, Optional.empty());
    }

    /** Every endpoint of the hashring, each once, in order. */
    public static List<String> endpoints(Hashring ring) {
        return ring.entries().stream().flatMap(e -> e.endpoints().stream()).distinct().toList();
    }

    /** {@code 3 → 5 endpoints, added thanos-receive-3, thanos-receive-4}. */
    static String change(List<String> before, List<String> after) {
        List<String> added = new ArrayList<>(after);
        added.removeAll(before);
        List<String> removed = new ArrayList<>(before);
        removed.removeAll(after);
        StringBuilder out = new StringBuilder(before.size() + " → " + after.size() + " endpoints");
        if (!added.isEmpty()) {
            out.append(", added ").append(String.join(", ", shortNames(added)));
        }
        if (!removed.isEmpty()) {
            out.append(", removed ").append(String.join(", ", shortNames(removed)));
        }
        return out.toString();
    }

    /** {@code thanos-receive-3} for {@code thanos-receive-3.thanos-receive.monitoring.svc.cluster.local:10901}. */
    private static List<String> shortNames(List<String> endpoints) {
        return endpoints.stream().map(e -> e.contains(".") ? e.substring(0, e.indexOf('.')) : e).toList();
    }
}
