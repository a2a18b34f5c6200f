package io.rwautoscaler.receivers;

import io.rwautoscaler.core.receivers.ActionResult;
import io.rwautoscaler.core.receivers.RuleAction;

import java.util.Objects;

/**
 * What became of one recommendation at the point where a patch would be sent.
 *
 * @param object the object changed or that would be (e.g. {@code statefulset/monitoring/thanos-receive},
 *               {@code persistentvolumeclaim/monitoring/data-thanos-receive-0})
 * @param change the change in one phrase ({@code replicas 3 → 6}, {@code storage 100Gi → 200Gi})
 */
public record ActionOutcome(RuleAction action, String object, String change, ActionResult result, String detail) {

    public ActionOutcome {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
    }
}
