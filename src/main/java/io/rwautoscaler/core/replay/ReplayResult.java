package io.rwautoscaler.core.replay;

import java.util.List;
import java.util.Objects;

/**
 * What a replay found: the decisions in time order, the key figures per step, the totals, and what the replay
 * could not see (missing series, figures approximated), so a quiet result is never mistaken for a proven one.
 *
 * @param initialReplicas the replicas the replayed fleet started from (the real ones at the first step)
 * @param queues          queues the shard part replayed
 * @param hpa             the receivers' HPA replayed on its own fleet, or why it was not
 * @param notes           how the replay differs from what live would have seen, and missing data
 */
public record ReplayResult(ReplayWindow window, List<ReplayDecision> decisions, ReplayTimeline timeline,
                           ReplayTotals totals, int initialReplicas, int queues, HpaReplayResult hpa,
                           List<String> notes) {

    public ReplayResult {
        Objects.requireNonNull(window, "window");
        decisions = List.copyOf(decisions);
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(hpa, "hpa");
        notes = List.copyOf(notes);
    }
}
