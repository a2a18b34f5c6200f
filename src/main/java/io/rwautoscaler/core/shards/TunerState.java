package io.rwautoscaler.core.shards;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tuner remembers between cycles: per queue our last applied change, and the times of the cluster's
 * changes in the last hour (for the budget). Immutable; each cycle returns a new one.
 *
 * <p>A queue marked {@link AppliedChange#reverted() reverted} gets no new recommendation until its config changes
 * to something else (the new config becomes the baseline) or an operator calls {@link #cleared(QueueId)}.
 * Records of queues missing from a cycle are kept: an agent that is briefly gone must not lose its cooldown.
 */
public record TunerState(Map<QueueId, AppliedChange> changes, List<Instant> clusterChanges) {

    /** The budget counts changes within this sliding window. */
    public static final Duration BUDGET_WINDOW = Duration.ofHours(1);

    private static final TunerState EMPTY = new TunerState(Map.of(), List.of());

    public TunerState {
        changes = Map.copyOf(changes);
        List<Instant> sorted = new ArrayList<>(clusterChanges);
        sorted.sort(null);
        clusterChanges = List.copyOf(sorted);
    }

    public static TunerState empty() {
        return EMPTY;
    }

    public Optional<AppliedChange> lastChange(QueueId queue) {
        return Optional.ofNullable(changes.get(queue));
    }

    /** Changes applied cluster-wide in the hour up to {@code now}. */
    public int changesInLastHour(Instant now) {
        Instant from = now.minus(BUDGET_WINDOW);
        int n = 0;
        for (Instant t : clusterChanges) {
            if (t.isAfter(from) && !t.isAfter(now)) {
                n++;
            }
        }
        return n;
    }

    /** Records a change the act step applied; for callers that patch outside {@link ShardCycle}. */
    public TunerState withApplied(QueueId queue, QueueConfig before, QueueConfig after, Instant at) {
        Map<QueueId, AppliedChange> next = new HashMap<>(changes);
        next.put(queue, new AppliedChange(at, before, after, false));
        List<Instant> times = new ArrayList<>(clusterChanges);
        times.add(at);
        return new TunerState(next, times);
    }

    /** An operator's "stop treating this queue as reverted / cooling down": forgets our change to it. */
    public TunerState cleared(QueueId queue) {
        Objects.requireNonNull(queue, "queue");
        if (!changes.containsKey(queue)) {
            return this;
        }
        Map<QueueId, AppliedChange> next = new HashMap<>(changes);
        next.remove(queue);
        return new TunerState(next, clusterChanges);
    }
}
