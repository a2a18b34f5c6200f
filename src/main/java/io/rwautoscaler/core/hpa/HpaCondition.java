package io.rwautoscaler.core.hpa;

import java.util.Objects;

/** One status condition as upstream sets it: type (from the reason), True/False, reason, message. */
public record HpaCondition(ConditionReason reason, boolean status, String message) {
    public HpaCondition {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    public ConditionType type() {
        return reason.type();
    }
}
