package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueId;

import java.util.HashMap;
import java.util.Map;

/**
 * Spacing of retries after a failed patch, counted in cycles: the first retry is the next cycle, then 1, 3, 7 and at
 * most 15 cycles are skipped. A conflict is usually someone else's edit landing; retrying at once is right, hammering
 * a broken API server is not. Used by the loop's single thread only.
 */
final class PatchBackoff {

    static final int MAX_SKIP = 15;

    private final Map<QueueId, int[]> state = new HashMap<>(); // {failures, cycles still to skip}

    /** Whether to try now; a queue backing off uses up one cycle of its wait. */
    boolean mayTry(QueueId queue) {
        int[] s = state.get(queue);
        if (s == null || s[1] == 0) {
            return true;
        }
        s[1]--;
        return false;
    }

    /** Cycles left before the next try. */
    int waiting(QueueId queue) {
        int[] s = state.get(queue);
        return s == null ? 0 : s[1];
    }

    void failed(QueueId queue) {
        int[] s = state.computeIfAbsent(queue, q -> new int[2]);
        s[0]++;
        s[1] = Math.min(MAX_SKIP, (1 << Math.min(s[0] - 1, 4)) - 1);
    }

    void succeeded(QueueId queue) {
        state.remove(queue);
    }
}
