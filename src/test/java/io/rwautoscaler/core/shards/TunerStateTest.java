package io.rwautoscaler.core.shards;

import static io.rwautoscaler.core.shards.TunerFixture.NOW;
import static io.rwautoscaler.core.shards.TunerFixture.QUEUE;
import static io.rwautoscaler.core.shards.TunerFixture.RUNBOOK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TunerStateTest {

    @ParameterizedTest(name = "change {0} before now counts: {1}")
    @CsvSource({
            "PT0S,      true",
            "PT59M59S,  true",
            "PT1H,      false",
            "PT2H,      false",
            "-PT1S,     false",
    })
    void budgetCountsTheHourUpToNow(Duration age, boolean counts) {
        TunerState state = new TunerState(Map.of(), List.of(NOW.minus(age)));

        assertThat(state.changesInLastHour(NOW)).isEqualTo(counts ? 1 : 0);
    }

    @Test
    void withAppliedRecordsTheChangeAndItsTime() {
        TunerState state = TunerState.empty().withApplied(QUEUE, RUNBOOK, RUNBOOK.withMaxShards(200), NOW);

        assertThat(state.lastChange(QUEUE)).contains(new AppliedChange(NOW, RUNBOOK, RUNBOOK.withMaxShards(200),
                false));
        assertThat(state.clusterChanges()).containsExactly(NOW);
        assertThat(TunerState.empty().changes()).isEmpty();
    }

    @Test
    void clearedForgetsOnlyThatQueue() {
        QueueId other = QueueId.of("monitoring", "other", "thanos", "http://x");
        TunerState state = TunerState.empty().withApplied(QUEUE, RUNBOOK, RUNBOOK.withMaxShards(200), NOW)
                .withApplied(other, RUNBOOK, RUNBOOK.withMaxShards(200), NOW);

        TunerState cleared = state.cleared(QUEUE);

        assertThat(cleared.lastChange(QUEUE)).isEmpty();
        assertThat(cleared.lastChange(other)).isPresent();
        assertThat(cleared.changesInLastHour(NOW)).as("the budget still counts what happened").isEqualTo(2);
        assertThat(TunerState.empty().cleared(QUEUE)).isSameAs(TunerState.empty());
    }

    @Test
    void clusterChangesAreKeptSorted() {
        Instant a = NOW.minusSeconds(30);
        Instant b = NOW.minusSeconds(10);

        assertThat(new TunerState(Map.of(), List.of(b, a)).clusterChanges()).containsExactly(a, b);
    }

    @ParameterizedTest(name = "observed maxShards {0}, {1} after the change -> {2}")
    @CsvSource({
            "200, PT1M,  HOLDING",
            "100, PT1M,  ROLLING_OUT",
            "100, PT5M,  REVERTED",
            "150, PT1M,  REPLACED",
    })
    void standingOfOurChange(int observedMax, Duration age, AppliedChange.Standing standing) {
        AppliedChange change = new AppliedChange(NOW.minus(age), RUNBOOK, RUNBOOK.withMaxShards(200), false);

        assertThat(change.standing(RUNBOOK.withMaxShards(observedMax), NOW, Duration.ofMinutes(5)))
                .isEqualTo(standing);
    }
}
