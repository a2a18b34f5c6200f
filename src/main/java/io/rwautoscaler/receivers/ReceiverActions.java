package io.rwautoscaler.receivers;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.receivers.ReceiverRecommendation;
import io.rwautoscaler.core.receivers.ScalingDecision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The act step: turns a decision's recommendations into patches, or says why not. */
public interface ReceiverActions {

    /**
     * @param apply   {@code autoscaler.policy.mode=apply}
     * @param leader  this replica may change objects
     * @param refusal why nothing may be applied this cycle (e.g. the defaults stand in for an invalid policy file)
     */
    record Context(boolean apply, boolean leader, Optional<String> refusal, Instant now) {
        public Context {
            refusal = Objects.requireNonNullElse(refusal, Optional.empty());
            Objects.requireNonNull(now, "now");
        }
    }

    List<ActionOutcome> act(ScalingDecision decision, Context context);

    /** Local mode: there is no Kubernetes API, so every recommendation is report-only. */
    static ReceiverActions reportOnly(String why) {
        return (decision, context) -> decision.recommendations().stream()
                .map(r -> new ActionOutcome(r.action(), ref(r.target()), describe(r), io.rwautoscaler.core.receivers.ActionResult.REPORT_ONLY, why))
                .toList();
    }

    /** {@code statefulset/monitoring/thanos-receive}: the spelling of policy files and of {@code kubectl get}. */
    static String ref(ObjectRef target) {
        return io.rwautoscaler.core.receivers.ReceiverChangePlan.ref(target);
    }

    static String describe(ReceiverRecommendation r) {
        if (r.currentReplicas().isPresent() && r.recommendedReplicas().isPresent()) {
            return "replicas " + r.currentReplicas().getAsInt() + " → " + r.recommendedReplicas().getAsInt();
        }
        return r.action().name();
    }
}
