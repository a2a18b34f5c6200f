package io.rwautoscaler.core.shards;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A cycle's decisions and what to remember next.
 *
 * @param decisions one per input queue, in input order
 * @param toApply   the decisions that passed every gate and got budget ({@link ShardState#applies()}), most urgent
 *                  first: the act step's work list
 * @param carried   the state with this cycle's observations folded in (reverts marked, replaced configs
 *                  forgotten, old budget entries dropped) but none of this cycle's changes
 * @param at        the cycle's time, stamped on the changes it records
 */
public record ShardCycleResult(List<ShardDecision> decisions, List<ShardDecision> toApply, TunerState carried,
                               Instant at) {

    public ShardCycleResult {
        decisions = List.copyOf(decisions);
        toApply = List.copyOf(toApply);
        Objects.requireNonNull(carried, "carried");
        Objects.requireNonNull(at, "at");
    }

    /** The next state when every change in {@link #toApply()} was applied. */
    public TunerState nextState() {
        return withApplied(toApply);
    }

    /**
     * The next state when only these queues were patched: in recommend mode pass none, after a failed patch leave
     * it out. Recording a change that did not happen would later read as a revert.
     */
    public TunerState nextState(Set<QueueId> applied) {
        List<ShardDecision> done = new ArrayList<>(applied.size());
        for (ShardDecision d : toApply) {
            if (applied.contains(d.queue())) {
                done.add(d);
            }
        }
        return withApplied(done);
    }

    private TunerState withApplied(Collection<ShardDecision> done) {
        if (done.isEmpty()) {
            return carried;
        }
        Map<QueueId, AppliedChange> changes = new HashMap<>(carried.changes());
        List<Instant> times = new ArrayList<>(carried.clusterChanges());
        for (ShardDecision d : done) {
            changes.put(d.queue(), new AppliedChange(at, d.current(), d.recommended(), false));
            times.add(at);
        }
        return new TunerState(changes, times);
    }
}
