package io.rwautoscaler.core.replay;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One decision the loops would have taken: when, which loop, on what, the amounts, the rules and figures
 * behind it, and whether apply mode would have acted or only recommended (and why).
 *
 * @param loop    {@link #RECEIVERS} or {@link #SHARDS}
 * @param amount  the change in words: {@code replicas 3 → 6}, {@code maxShards 100 → 200}
 * @param rules   the rules (receivers) or triggers (shards) behind it
 * @param figures the figures the decision read, by name, as the replay saw them (rescaled to its fleet)
 * @param why     why apply mode would (not) have acted
 */
public record ReplayDecision(Instant at, String loop, String target, String action, String amount,
                             List<String> rules, Map<String, Double> figures, String reason, ReplayOutcome outcome,
                             String why) {

    public static final String RECEIVERS = "receivers";
    public static final String SHARDS = "shards";

    public ReplayDecision {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(amount, "amount");
        rules = List.copyOf(rules);
        figures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(figures));
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(why, "why");
    }
}
