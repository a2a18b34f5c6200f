package io.rwautoscaler.core.shards;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One decision cycle over every queue: each queue decided on its own by {@link ShardTuner}, then the hour's
 * cluster budget handed out most urgent first, so the queues closest to losing samples get the changes.
 *
 * <p>Urgency: raises before lowerings (a lowering only saves resources), then higher lag, then more pending
 * samples, then {@link QueueId} order so equal cases always go the same way. Linear in the number of queues plus
 * a sort of the few that want a change.
 */
public final class ShardCycle {

    private static final Comparator<Candidate> MOST_URGENT_FIRST = Comparator
            .comparingInt((Candidate c) -> c.decision.state() == ShardState.RAISE ? 0 : 1)
            .thenComparing(Comparator.comparingDouble((Candidate c) -> c.lag).reversed())
            .thenComparing(Comparator.comparingDouble((Candidate c) -> c.pending).reversed())
            .thenComparing(c -> c.decision.queue());

    private ShardCycle() {
    }

    /**
     * @param inputs each queue once; the decisions come back in the same order
     * @throws IllegalArgumentException when a queue appears twice (two patches to one entry would race)
     */
    public static ShardCycleResult run(List<QueueInput> inputs, TunerState state, ShardPolicy policy, Instant now) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");

        ShardDecision[] decisions = new ShardDecision[inputs.size()];
        Set<QueueId> seen = new HashSet<>(inputs.size() * 2);
        Map<QueueId, AppliedChange> kept = null;
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < decisions.length; i++) {
            QueueInput in = inputs.get(i);
            if (!seen.add(in.queue())) {
                throw new IllegalArgumentException("queue " + in.queue() + " appears twice in one cycle");
            }
            ShardDecision d = ShardTuner.decide(in.queue(), in.current(), in.observation(), in.receivers(), state,
                    policy, now);
            decisions[i] = d;
            AppliedChange before = state.changes().get(in.queue());
            if (before != null) {
                Optional<AppliedChange> after = ShardTuner.remembered(before, in.current(), now, policy);
                if (after.isEmpty() || after.get() != before) {
                    // Copied on the first difference only: most cycles change nothing here.
                    kept = kept == null ? new HashMap<>(state.changes()) : kept;
                    if (after.isPresent()) {
                        kept.put(in.queue(), after.get());
                    } else {
                        kept.remove(in.queue());
                    }
                }
            }
            if (d.apply()) {
                candidates.add(new Candidate(i, d, in.observation().lagSeconds().orElse(0),
                        in.observation().pendingSamples().orElse(0)));
            }
        }

        int budget = policy.pacing().changesPerHour();
        int used = state.changesInLastHour(now);
        int left = Math.max(0, budget - used);
        candidates.sort(MOST_URGENT_FIRST);
        List<ShardDecision> granted = new ArrayList<>(Math.min(left, candidates.size()));
        for (int k = 0; k < candidates.size(); k++) {
            Candidate c = candidates.get(k);
            if (k < left) {
                granted.add(c.decision);
            } else {
                decisions[c.index] = ShardTuner.overBudget(c.decision, budget, used + left);
            }
        }

        List<Instant> recent = new ArrayList<>();
        for (Instant t : state.clusterChanges()) {
            if (t.isAfter(now.minus(TunerState.BUDGET_WINDOW)) && !t.isAfter(now)) {
                recent.add(t);
            }
        }
        TunerState carried = new TunerState(kept == null ? state.changes() : kept, recent);
        return new ShardCycleResult(Arrays.asList(decisions), granted, carried, now);
    }

    private record Candidate(int index, ShardDecision decision, double lag, double pending) {
    }
}
