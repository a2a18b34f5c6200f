package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.Figures;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The receiver scaler's checks, pure: whether a recommended change of the receive StatefulSet's replicas or of a TSDB
 * PVC's size goes ahead, and if not, what becomes of it and why. The Kubernetes side reads the objects, asks these
 * checks in the order it reads, and only sends a patch when every one says go ({@link Optional#empty()}).
 */
public final class ReceiverChangePlan {

    /** A change that does not go ahead: its result and the reason, with the figures. */
    public record Verdict(ActionResult result, String detail) {
        public Verdict {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private ReceiverChangePlan() {
    }

    /** {@code statefulset/monitoring/thanos-receive}: the spelling of policy files and of {@code kubectl get}. */
    public static String ref(ObjectRef target) {
        return target.kind().singular() + "/" + (target.namespace().isEmpty() ? "" : target.namespace() + "/") + target.name();
    }

    /** Before anything is read: the rule targets the configured StatefulSet, and no HPA owned it when observed. */
    public static Optional<Verdict> replicasTarget(ReceiverRecommendation r, String namespace, String statefulSet) {
        if (!r.target().kind().equals(ResourceKind.STATEFULSETS) || !r.target().namespace().equals(namespace)
                || !r.target().name().equals(statefulSet)) {
            return Optional.of(new Verdict(ActionResult.REFUSED, "the rule targets " + ref(r.target()) + ", but this service scales "
                    + "statefulset/" + namespace + "/" + statefulSet + " (autoscaler.receivers.namespace and .statefulset)"));
        }
        if (r.reportOnly()) {
            return Optional.of(new Verdict(ActionResult.REPORT_ONLY,
                    "a HorizontalPodAutoscaler owns these replicas: never patched, make sure its metrics are served"));
        }
        return Optional.empty();
    }

    /**
     * With the StatefulSet read again right before the patch: no HPA took the replicas over, they are still what
     * the decision saw, and the last change is older than the cooldown.
     *
     * @param owningHpa    the HPA that targets the StatefulSet now, if any
     * @param coolingUntil see {@link #coolingUntil}
     */
    public static Optional<Verdict> replicasNow(int observed, int actual, Optional<String> owningHpa, Optional<Instant> coolingUntil,
                                                Duration cooldown) {
        if (owningHpa.isPresent()) {
            return Optional.of(new Verdict(ActionResult.REPORT_ONLY, "HorizontalPodAutoscaler " + owningHpa.get()
                    + " now owns these replicas: never patched"));
        }
        if (actual != observed) {
            return Optional.of(new Verdict(ActionResult.WAITING, "replicas changed since observed (" + observed + " → " + actual
                    + "): decided again next cycle"));
        }
        return coolingUntil.map(until -> new Verdict(ActionResult.COOLDOWN, "changed less than " + Figures.duration(cooldown)
                + " ago; next change allowed at " + until));
    }

    /**
     * A PVC's new size: the current request × growth, rounded up to a whole Gi, at most {@code maxBytes}.
     */
    public static long volumeTarget(long currentBytes, double growth, OptionalLong maxBytes) {
        long gi = 1024L * 1024 * 1024;
        long target = (long) Math.ceil(currentBytes * growth / gi) * gi;
        return maxBytes.isPresent() ? Math.min(target, maxBytes.getAsLong()) : target;
    }

    /**
     * Why a PVC cannot grow, when its new size ({@link #volumeTarget}) is no larger than its current one: it is
     * already at {@code autoscaler.policy.volume-max}.
     *
     * @param current the current size as written ({@code 150Gi})
     */
    public static Optional<String> volumeAtMax(long currentBytes, long targetBytes, String current) {
        return targetBytes > currentBytes ? Optional.empty() : Optional.of("already at autoscaler.policy.volume-max (" + current
                + "): shorten the receivers' retention (--tsdb.retention) instead");
    }

    /** A resize is still in progress: the capacity lags the request, or the PVC says Resizing/FileSystemResizePending. */
    public static boolean resizeInProgress(OptionalLong capacityBytes, long requestedBytes, boolean resizingCondition) {
        return (capacityBytes.isPresent() && capacityBytes.getAsLong() < requestedBytes) || resizingCondition;
    }

    /** The last change of a PVC is older than the cooldown. */
    public static Optional<Verdict> volumeNow(Optional<Instant> coolingUntil, Duration cooldown) {
        return coolingUntil.map(until -> new Verdict(ActionResult.COOLDOWN, "resized less than " + Figures.duration(cooldown)
                + " ago; next change allowed at " + until));
    }

    /**
     * When the next change of an object is allowed, from the time of our last change kept in its annotation; empty
     * when it may change now (never changed, the cooldown passed, or a value that is not a time: not ours to trust,
     * the change goes ahead and rewrites it).
     */
    public static Optional<Instant> coolingUntil(Optional<String> lastChangedAt, Duration cooldown, Instant now) {
        if (lastChangedAt.isEmpty()) {
            return Optional.empty();
        }
        try {
            Instant until = Instant.parse(lastChangedAt.get()).plus(cooldown);
            return now.isBefore(until) ? Optional.of(until) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The last check, where a patch would be sent: never in recommend mode, never on a replica that is not the
     * leader, never while acting is refused for the cycle (e.g. the defaults stand in for an invalid policy file).
     *
     * @param change the change in one phrase ({@code replicas 3 → 6})
     */
    public static Optional<Verdict> atPatchPoint(boolean apply, boolean leader, Optional<String> refusal, String change) {
        if (!apply) {
            return Optional.of(new Verdict(ActionResult.RECOMMENDED, "would " + change + " (autoscaler.policy.mode=recommend)"));
        }
        if (!leader) {
            return Optional.of(new Verdict(ActionResult.NOT_LEADER, "not the leader: another replica acts"));
        }
        return refusal.map(why -> new Verdict(ActionResult.REFUSED, why));
    }

    /** A refusal the operator must fix is announced with an Event only by the acting replica, in apply mode. */
    public static boolean announcesRefusal(boolean apply, boolean leader) {
        return apply && leader;
    }
}
