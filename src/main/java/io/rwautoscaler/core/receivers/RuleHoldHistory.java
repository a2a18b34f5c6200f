package io.rwautoscaler.core.receivers;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Since when each rule's condition has held, carried from one cycle to the next. Immutable: each cycle
 * takes the previous history and returns the next one, so the reconcile loop only stores a value.
 */
public record RuleHoldHistory(Map<String, Instant> heldSince) {

    public RuleHoldHistory {
        heldSince = heldSince == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(heldSince));
    }

    public static RuleHoldHistory empty() {
        return new RuleHoldHistory(Map.of());
    }

    public Optional<Instant> since(String ruleName) {
        return Optional.ofNullable(heldSince.get(ruleName));
    }
}
