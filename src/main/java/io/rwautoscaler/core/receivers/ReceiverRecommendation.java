package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.ObjectRef;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * One thing to do, with the rules that asked for it and why.
 *
 * @param currentReplicas       for receiver replica actions; empty for the others
 * @param recommendedReplicas   for receiver replica actions; empty for the others (their amounts come from
 *                              the shard tuner and the right-sizing report)
 * @param projectedUtilization  the share of receiver capacity the current samples/s would use at the
 *                              recommended replicas, when samples/s is known
 * @param hpaOwned              an HPA owns the replicas this recommendation would change
 * @param reportOnly            never patched (an HPA owns the replicas); shown in the report only
 */
public record ReceiverRecommendation(RuleAction action, ObjectRef target, List<String> firedBy,
                                     OptionalInt currentReplicas, OptionalInt recommendedReplicas,
                                     OptionalDouble projectedUtilization, boolean hpaOwned, boolean reportOnly,
                                     String reason, List<String> notes) {

    public ReceiverRecommendation {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        firedBy = List.copyOf(firedBy);
        currentReplicas = Objects.requireNonNullElse(currentReplicas, OptionalInt.empty());
        recommendedReplicas = Objects.requireNonNullElse(recommendedReplicas, OptionalInt.empty());
        projectedUtilization = Objects.requireNonNullElse(projectedUtilization, OptionalDouble.empty());
        Objects.requireNonNull(reason, "reason");
        notes = List.copyOf(notes);
    }

    public ScalingDirection direction() {
        return action.direction();
    }
}
