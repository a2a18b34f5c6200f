package io.rwautoscaler.core.shards;

import static io.rwautoscaler.core.shards.TunerFixture.RUNBOOK;
import static io.rwautoscaler.core.shards.TunerFixture.decide;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule "capacity range", and the runbook's own figures. */
class CapacityAndRunbookTest {

    @ParameterizedTest(name = "capacity {0}, maxSamplesPerSend {1} -> {2} {3}")
    @CsvSource(nullValues = "-", value = {
            "5000,  2000, RAISE, 6000",
            "6000,  2000, OK,    6000",
            "20000, 2000, OK,    20000",
            "30000, 2000, LOWER, 20000",
            "-,     500,  LOWER, 5000",
            "-,     -,    OK,    10000",
            "-,     1000, OK,    10000",
    })
    void keepsCapacityWithin3To10BatchesOnItsOwn(Integer capacity, Integer msps, ShardState state, int newCapacity) {
        QueueConfig current = new QueueConfig(OptionalInt.of(10), OptionalInt.of(100),
                capacity == null ? OptionalInt.empty() : OptionalInt.of(capacity),
                msps == null ? OptionalInt.empty() : OptionalInt.of(msps));

        ShardDecision d = decide(current, ObservationBuilder.quiet());

        assertThat(d.state()).as(d.reason()).isEqualTo(state);
        assertThat(d.recommended().effectiveCapacity()).isEqualTo(newCapacity);
        assertThat(d.recommended().effectiveMaxShards()).isEqualTo(100);
    }

    @Test
    void capacityReasonShowsTheRange() {
        ShardDecision d = decide(RUNBOOK.withCapacity(5000), ObservationBuilder.quiet());

        assertThat(d.reason()).contains("; capacity 5000 < 3 × maxSamplesPerSend 2000 → capacity 6000; safe to apply");
    }

    @Test
    void capacityCorrectionWaitsForDrainLikeAnyChange() {
        assertThat(decide(RUNBOOK.withCapacity(50_000), ObservationBuilder.quiet().lagUnknown()).state())
                .isEqualTo(ShardState.WAITING_FOR_DRAIN);
    }

    @Test
    void capacityIsCorrectedAlongWithARaise() {
        ShardDecision d = decide(RUNBOOK.withCapacity(50_000),
                ObservationBuilder.atMax(100, 130, TunerFixture.minutes(15)).p99(140));

        assertThat(d.state()).isEqualTo(ShardState.RAISE);
        assertThat(d.recommended()).isEqualTo(RUNBOOK.withMaxShards(200).withCapacity(20_000));
    }

    /** Runbook: cluster-03 showed 50 shards "while adjusting" under minShards 10, maxShards 100, capacity 20000. */
    @Test
    void cluster03AdjustingAt50ShardsIsOk() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.quiet().shards(50).desired(48).running(10, 100));

        assertThat(d.state()).isEqualTo(ShardState.OK);
        assertThat(d.changesConfig()).isFalse();
        assertThat(d.recommended()).isEqualTo(RUNBOOK);
        assertThat(d.reason()).startsWith("no trigger: shards 50 (desired 48) within 10–100; queue above 5000 for 0s"
                + " (< 15m), at max with desired above for 0s (< 15m), at 0 for 0s (< 30m)");
    }

    @Test
    void runbookConfigIsWithinTheCapacityRange() {
        assertThat(RUNBOOK.effectiveCapacity()).isEqualTo(10 * RUNBOOK.effectiveMaxSamplesPerSend());
        assertThat(decide(QueueConfig.of(10, 100, 20_000, 2_000), ObservationBuilder.quiet()).state())
                .isEqualTo(ShardState.OK);
    }

    @Test
    void runbookQueueHighFor15MinutesWithHealthyReceiversRaises() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.quiet().shards(100).desired(150).pending(8_000)
                .queueAboveFor(TunerFixture.minutes(15)).atMaxFor(TunerFixture.minutes(15)).p99(120));

        assertThat(d.state()).isEqualTo(ShardState.RAISE);
        assertThat(d.recommended()).isEqualTo(RUNBOOK.withMaxShards(200));
    }

    @Test
    void runbookQueueAtZeroFor30MinutesLowers() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.idle(12, TunerFixture.minutes(30)).p99(15));

        assertThat(d.state()).isEqualTo(ShardState.LOWER);
        assertThat(d.recommended()).isEqualTo(RUNBOOK.withMaxShards(50));
    }
}
