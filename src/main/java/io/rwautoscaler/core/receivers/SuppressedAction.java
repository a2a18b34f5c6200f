package io.rwautoscaler.core.receivers;

import java.util.List;
import java.util.Objects;

/** An action some rule asked for that the decision held back, and why; reported so nothing is silently dropped. */
public record SuppressedAction(RuleAction action, List<String> firedBy, String why) {

    public SuppressedAction {
        Objects.requireNonNull(action, "action");
        firedBy = List.copyOf(firedBy);
        Objects.requireNonNull(why, "why");
    }
}
