package io.rwautoscaler.core.shards;

import static io.rwautoscaler.core.shards.TunerFixture.RUNBOOK;
import static io.rwautoscaler.core.shards.TunerFixture.decide;
import static io.rwautoscaler.core.shards.TunerFixture.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule "raise": when it fires, and how maxShards and the batch size are sized. */
class ShardTunerRaiseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                   | maxShards | atMaxFor  | aboveFor  | desired | p99    | state | newMax
            at max, 1s short of the window           | 100       | PT14M59S  | PT0S      | 130     | 140    | OK    | 100
            at max for exactly the window            | 100       | PT15M     | PT0S      | 130     | 140    | RAISE | 200
            queue high, 1s short of the window       | 100       | PT0S      | PT14M59S  | 90      | 140    | OK    | 100
            queue high for exactly the window        | 100       | PT0S      | PT15M     | 90      | 140    | RAISE | 200
            sized from the p99, below the step       | 100       | PT0S      | PT15M     | 60      | 70     | RAISE | 140
            desired now above the p99 is the basis   | 100       | PT0S      | PT15M     | 80      | 50     | RAISE | 160
            step limited to x2                       | 100       | PT20M     | PT20M     | 130     | 140    | RAISE | 200
            ceiling 1000 caps the step               | 800       | PT15M     | PT0S      | 900     | 900    | RAISE | 1000
            at the ceiling: no raise                 | 1000      | PT15M     | PT0S      | 1100    | 1100   | OK    | 1000
            above the ceiling by hand: left alone    | 1500      | PT15M     | PT0S      | 1600    | 1600   | OK    | 1500
            within 20% hysteresis (120 of 100)       | 100       | PT0S      | PT15M     | 50      | 60     | OK    | 100
            just outside hysteresis (121 of 100)     | 100       | PT0S      | PT15M     | 50      | 60.5   | RAISE | 121
            queue high but bounds already cover it   | 100       | PT0S      | PT15M     | 40      | 40     | OK    | 100
            smallest step: 1 -> 2                    | 1         | PT15M     | PT0S      | 8       | 10     | RAISE | 2
            """)
    void raisesMaxShardsFromTheP99WithinStepAndCeiling(String name, int maxShards, Duration atMaxFor,
                                                       Duration aboveFor, double desired, double p99,
                                                       ShardState state, int newMax) {
        QueueConfig current = RUNBOOK.withMinShards(Math.min(10, maxShards)).withMaxShards(maxShards);
        ShardDecision d = decide(current, ObservationBuilder.quiet().shards(Math.min(50, maxShards)).desired(desired)
                .atMaxFor(atMaxFor).queueAboveFor(aboveFor).p99(p99));

        assertThat(d.state()).as(d.reason()).isEqualTo(state);
        assertThat(d.recommended().effectiveMaxShards()).as(d.reason()).isEqualTo(newMax);
        assertThat(d.recommended().effectiveMinShards()).isEqualTo(current.effectiveMinShards());
        assertThat(d.apply()).isEqualTo(state == ShardState.RAISE);
    }

    @Test
    void reasonCarriesTheFigures() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.atMax(100, 130, minutes(17)).queueAboveFor(Duration.ZERO)
                .p99(140));

        assertThat(d.reason()).isEqualTo("shards at max 100 for 17m with desired 130 > max; 7-day p99 of desired 140"
                + " × 2 = 280 → maxShards 200 (step limited to ×2); safe to apply: lag 5s < 60s");
        assertThat(d.recommended()).isEqualTo(RUNBOOK.withMaxShards(200));
    }

    @Test
    void reasonNamesDesiredNowWhenItIsTheBasis() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.atMax(100, 160, minutes(17)).p99(140));

        assertThat(d.reason()).startsWith("shards at max 100 for 17m with desired 160 > max and queue above 5000"
                + " samples for 17m; desired now 160 above its 7-day p99 140: 160 × 2 = 320 → maxShards 200"
                + " (step limited to ×2)");
    }

    @Test
    void reasonsForNoRaiseSayWhy() {
        assertThat(decide(RUNBOOK.withMaxShards(1000), ObservationBuilder.atMax(1000, 1100, minutes(15)).p99(1100))
                .reason()).contains("maxShards 1000 stays: at the ceiling 1000");
        assertThat(decide(RUNBOOK, ObservationBuilder.quiet().queueAboveFor(minutes(15)).desired(40).p99(40))
                .reason()).contains("→ maxShards 100 already covers it");
        assertThat(decide(RUNBOOK, ObservationBuilder.quiet().queueAboveFor(minutes(15)).desired(50).p99(60))
                .reason()).contains("→ maxShards 120 is within 20% of 100: no change");
    }

    @Test
    void minShardsAndOtherFieldsAreLeftAsFoundOnARaise() {
        QueueConfig current = QueueConfig.unset().withMaxShards(100);
        ShardDecision d = decide(current, ObservationBuilder.atMax(100, 130, minutes(15)).p99(140));

        assertThat(d.recommended()).isEqualTo(current.withMaxShards(200));
        assertThat(d.recommended().minShards()).isEmpty();
        assertThat(d.recommended().capacity()).isEmpty();
    }

    /** Per-shard throughput: samples out per shard per second × send latency vs maxSamplesPerSend. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                   | capacity | msps  | samplesOut | latency | newMsps | newCapacity
            full batches: 2000/s x 1s = 100%         | 20000    | 2000  | 200000     | 1.0     | 4000    | 40000
            exactly 90% full                         | 20000    | 2000  | 180000     | 1.0     | 4000    | 40000
            89.5% full: partial batches              | 20000    | 2000  | 179000     | 1.0     | 2000    | 20000
            fast sends, partial batches              | 20000    | 2000  | 200000     | 0.1     | 2000    | 20000
            msps ceiling 10000 caps the step         | 20000    | 6000  | 600000     | 1.0     | 10000   | 33333
            msps at its ceiling                      | 100000   | 10000 | 1000000    | 1.0     | 10000   | 100000
            batches per shard clamped to 10          | 50000    | 2000  | 200000     | 1.0     | 4000    | 40000
            batches per shard clamped to 3           | 4000     | 2000  | 200000     | 1.0     | 4000    | 12000
            """)
    void raisesTheBatchSizeWithCapacityWhenEachShardIsBusyWithFullBatches(
            String name, int capacity, int msps, double samplesOut, double latency, int newMsps, int newCapacity) {
        QueueConfig current = QueueConfig.of(10, 100, capacity, msps);
        ShardDecision d = decide(current, ObservationBuilder.atMax(100, 130, minutes(15)).p99(140)
                .samplesOut(samplesOut).sendLatency(latency));

        assertThat(d.state()).as(d.reason()).isEqualTo(ShardState.RAISE);
        assertThat(d.recommended().effectiveMaxShards()).isEqualTo(200);
        assertThat(d.recommended().effectiveMaxSamplesPerSend()).as(d.reason()).isEqualTo(newMsps);
        assertThat(d.recommended().effectiveCapacity()).as(d.reason()).isEqualTo(newCapacity);
    }

    @Test
    void batchSizeReasonShowsTheCriterion() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.atMax(100, 130, minutes(15)).p99(140)
                .samplesOut(200_000).sendLatency(1.0));

        assertThat(d.reason()).contains("batches full (2000 samples/s per shard × 1s send latency = 100% of"
                + " maxSamplesPerSend 2000): maxSamplesPerSend 2000 → 4000, capacity 20000 → 40000"
                + " (10 batches per shard)");
    }

    @Test
    void batchSizeStaysWhenItCannotBeJudgedOrShardsAreNotAtMax() {
        ShardDecision unknownLatency = decide(RUNBOOK, ObservationBuilder.atMax(100, 130, minutes(15)).p99(140)
                .samplesOut(200_000).sendLatencyUnknown());
        ShardDecision onlyQueueHigh = decide(RUNBOOK, ObservationBuilder.quiet().queueAboveFor(minutes(15))
                .desired(90).p99(140).samplesOut(200_000).shards(100).sendLatency(1.0));

        assertThat(unknownLatency.recommended()).isEqualTo(RUNBOOK.withMaxShards(200));
        assertThat(onlyQueueHigh.recommended()).isEqualTo(RUNBOOK.withMaxShards(200));
    }

    @Test
    void atTheShardCeilingBiggerBatchesAreTheOnlyRaise() {
        QueueConfig current = RUNBOOK.withMaxShards(1000);
        ShardDecision d = decide(current, ObservationBuilder.atMax(1000, 1500, minutes(15)).p99(1500)
                .samplesOut(2_000_000).sendLatency(1.0));

        assertThat(d.state()).as(d.reason()).isEqualTo(ShardState.RAISE);
        assertThat(d.recommended()).isEqualTo(current.withMaxSamplesPerSend(4000).withCapacity(40_000));
    }
}
