package io.rwautoscaler.core.shards;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * What the shard loop does with one cycle's decisions, decided here and only carried out by the loop: a replica
 * that is not the leader only notes, for the changes it would have applied, that the leader acts; the leader
 * posts each queue's situation, and for a change to apply either patches or, after failed patches, waits its
 * backoff out. In decision order.
 */
public record ShardActPlan(List<Step> steps) {

    public ShardActPlan {
        steps = List.copyOf(steps);
    }

    /** One queue's step. */
    public sealed interface Step {
        ShardDecision decision();
    }

    /** Not the leader, and this change would have been applied: say who acts. */
    public record NoteNotLeader(ShardDecision decision) implements Step {
    }

    /** Nothing to apply: post the queue's situation (its state's Event), which the Event writer posts once. */
    public record PostSituation(ShardDecision decision) implements Step {
    }

    /** A change to apply while the last patch's backoff lasts: skip it, {@code cyclesLeft} before the next try. */
    public record WaitBackoff(ShardDecision decision, int cyclesLeft) implements Step {
    }

    /** Send the change (or, in recommend mode, build it: the patcher decides at the single patch point). */
    public record Patch(ShardDecision decision) implements Step {
    }

    /**
     * @param backoffCycles per queue, cycles its backoff still skips (0 = may try now)
     */
    public static ShardActPlan of(ShardCycleResult result, boolean leader, ToIntFunction<QueueId> backoffCycles) {
        Set<QueueId> toApply = new HashSet<>();
        result.toApply().forEach(d -> toApply.add(d.queue()));
        List<Step> steps = new ArrayList<>(result.decisions().size());
        for (ShardDecision d : result.decisions()) {
            boolean apply = toApply.contains(d.queue());
            if (!leader) {
                if (apply) {
                    steps.add(new NoteNotLeader(d));
                }
            } else if (!apply) {
                steps.add(new PostSituation(d));
            } else {
                int waiting = backoffCycles.applyAsInt(d.queue());
                steps.add(waiting > 0 ? new WaitBackoff(d, waiting) : new Patch(d));
            }
        }
        return new ShardActPlan(steps);
    }
}
