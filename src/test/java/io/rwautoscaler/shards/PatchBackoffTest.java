package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** After the n-th failed patch in a row, 2^(n-1) - 1 cycles are skipped (at most 15); a success resets. */
class PatchBackoffTest {

    static final QueueId Q = QueueId.of("monitoring", "agent", "thanos", "http://t");

    /** Cycles skipped before each try, for a patch that keeps failing. */
    static List<Integer> skipsWhileFailing(PatchBackoff b, int tries) {
        List<Integer> skips = new ArrayList<>();
        for (int t = 0; t < tries; t++) {
            int skipped = 0;
            while (!b.mayTry(Q)) {
                skipped++;
            }
            skips.add(skipped);
            b.failed(Q);
        }
        return skips;
    }

    @Test
    void firstRetryIsTheNextCycleThenTheGapsDoubleUpToACap() {
        assertThat(skipsWhileFailing(new PatchBackoff(), 7)).containsExactly(0, 0, 1, 3, 7, 15, 15);
    }

    @Test
    void aSuccessResets() {
        PatchBackoff b = new PatchBackoff();
        skipsWhileFailing(b, 4);
        b.succeeded(Q);
        assertThat(b.mayTry(Q)).isTrue();
        assertThat(b.waiting(Q)).isZero();
        assertThat(b.mayTry(QueueId.of("monitoring", "other", "thanos", "http://t"))).isTrue();
    }
}
