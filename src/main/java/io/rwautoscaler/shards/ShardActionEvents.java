package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.RemoteWriteEntry;
import io.rwautoscaler.core.shards.ShardDecision;
import io.rwautoscaler.shards.QueueConfigPatcher;
import io.rwautoscaler.shards.ShardEvents;

import java.util.Optional;

/**
 * Which Event a queue's situation deserves. The key says when the situation changed (state, and what was
 * recommended or done): {@link ShardEvents} writes only then.
 *
 * <ul>
 *   <li>{@code ShardBoundsChanged} (Normal): a patch was applied.</li>
 *   <li>{@code ShardChangeRecommended} (Normal): recommend mode, or local mode: what would have been applied.</li>
 *   <li>{@code ShardPatchFailed} (Warning): the API refused the patch (conflict, error); retried with backoff.</li>
 *   <li>{@code ShardChangeRefused} (Warning): a change is called for but waits (lag too high, receivers the
 *       bottleneck, budget used up).</li>
 *   <li>{@code ShardChangeReverted} (Warning): our change was undone; the tuner stays out of the way.</li>
 *   <li>{@code ShardDataInsufficient} (Normal): figures the decision needs are missing.</li>
 * </ul>
 */
final class ShardActionEvents {

    record Event(String key, Optional<ShardEvents.Spec> spec) {
    }

    private ShardActionEvents() {
    }

    /** For a decision that was not handed to the patcher; empty for states that need no event (ok, cooldown). */
    static Optional<Event> forState(ShardDecision d) {
        String state = d.state().wireName();
        String key = state + " " + d.recommended();
        return switch (d.state()) {
            case REVERTED -> Optional.of(new Event(state, Optional.of(ShardEvents.Spec.warning(
                    "ShardChangeReverted", queue(d) + ": " + d.reason()))));
            case WAITING_FOR_DRAIN, RECEIVERS_BOTTLENECK, BUDGET_EXHAUSTED -> Optional.of(new Event(key, Optional.of(
                    ShardEvents.Spec.warning("ShardChangeRefused", queue(d) + " " + state + ": " + d.reason()))));
            case INSUFFICIENT_DATA -> Optional.of(new Event(state, Optional.of(ShardEvents.Spec.normal(
                    "ShardDataInsufficient", queue(d) + ": " + d.reason()))));
            default -> Optional.empty();
        };
    }

    static Event forAction(RemoteWriteEntry entry, ShardDecision d, QueueConfigPatcher.Result r) {
        String what = entry + ": " + d.current().changesTo(d.recommended());
        return switch (r.outcome()) {
            case PATCHED -> new Event("patched " + d.recommended(), Optional.of(ShardEvents.Spec.normal(
                    "ShardBoundsChanged", "changed queueConfig of " + what + " (" + d.reason() + ")")));
            case DRY_RUN, NOT_PATCHABLE -> new Event("recommended " + d.recommended(), Optional.of(
                    ShardEvents.Spec.normal("ShardChangeRecommended", "recommend " + what + " (" + d.reason()
                            + "); not applied: " + r.detail())));
            case CONFLICT, FAILED -> new Event("failed " + r.outcome().wireName() + " " + d.recommended(),
                    Optional.of(ShardEvents.Spec.warning("ShardPatchFailed", "could not change " + what + ": "
                            + r.detail() + "; retrying with backoff")));
        };
    }

    private static String queue(ShardDecision d) {
        return "queue " + (d.queue().remoteName().isEmpty() ? d.queue().url() : d.queue().remoteName());
    }
}
