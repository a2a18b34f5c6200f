package io.rwautoscaler.core.shards;

import static io.rwautoscaler.core.shards.TunerFixture.RUNBOOK;
import static io.rwautoscaler.core.shards.TunerFixture.decide;
import static io.rwautoscaler.core.shards.TunerFixture.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule "lower": only after the queue sat at 0 for the scale-in window, only as far as the p99 allows. */
class ShardTunerLowerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                        | zeroFor  | min | max | p99 | desired | state | newMin | newMax
            at 0, 1s short of the window                  | PT29M59S | 10  | 100 | 20  | 20      | OK    | 10     | 100
            at 0 for exactly the window, step ÷2          | PT30M    | 10  | 100 | 20  | 20      | LOWER | 10     | 50
            sized from the p99 x2                         | PT30M    | 10  | 100 | 35  | 35      | LOWER | 10     | 70
            just outside hysteresis (78 of 100)           | PT30M    | 10  | 100 | 39  | 39      | LOWER | 10     | 78
            within 20% hysteresis (80 of 100)             | PT30M    | 10  | 100 | 40  | 40      | OK    | 10     | 100
            p99 does not allow less                       | PT30M    | 10  | 100 | 60  | 60      | OK    | 10     | 100
            desired now above the p99 holds it up         | PT30M    | 10  | 100 | 20  | 70      | OK    | 10     | 100
            maxShards floor 10                            | PT30M    | 1   | 16  | 1   | 1       | LOWER | 1      | 10
            at the maxShards floor                        | PT30M    | 1   | 10  | 1   | 1       | OK    | 1      | 10
            below the floor by hand: left alone           | PT30M    | 1   | 5   | 1   | 1       | OK    | 1      | 5
            minShards down to the p99, step ÷2            | PT30M    | 10  | 100 | 3   | 3       | LOWER | 5      | 50
            minShards within hysteresis stays             | PT30M    | 10  | 100 | 9   | 9       | LOWER | 10     | 50
            minShards floor 1                             | PT30M    | 2   | 100 | 0.5 | 0.5     | LOWER | 1      | 50
            minShards within hysteresis, maxShards lowers | PT30M    | 40  | 100 | 35  | 35      | LOWER | 40     | 70
            both bounds lower together                    | PT30M    | 60  | 100 | 20  | 20      | LOWER | 30     | 50
            min above max by hand: max not below new min  | PT30M    | 80  | 60  | 5   | 5       | LOWER | 40     | 40
            """)
    void lowersBoundsWithinStepsAndFloors(String name, Duration zeroFor, int min, int max, double p99, double desired,
                                          ShardState state, int newMin, int newMax) {
        QueueConfig current = RUNBOOK.withMinShards(min).withMaxShards(max);
        ShardDecision d = decide(current, ObservationBuilder.idle(desired, zeroFor).p99(p99));

        assertThat(d.state()).as(d.reason()).isEqualTo(state);
        assertThat(d.recommended().effectiveMinShards()).as(d.reason()).isEqualTo(newMin);
        assertThat(d.recommended().effectiveMaxShards()).as(d.reason()).isEqualTo(newMax);
        assertThat(d.recommended().effectiveCapacity()).isEqualTo(20_000);
    }

    @Test
    void reasonCarriesTheFigures() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.idle(20, minutes(31)).p99(20));

        assertThat(d.reason()).isEqualTo("queue at 0 for 31m; 7-day p99 of desired 20 × 2 = 40; maxShards 100 → 50"
                + " (step limited to ÷2); safe to apply: lag 1s < 60s");
    }

    @Test
    void reasonsForNoLoweringSayWhy() {
        assertThat(decide(RUNBOOK, ObservationBuilder.idle(60, minutes(30)).p99(60)).reason())
                .contains("maxShards 100 stays: the p99 does not allow less");
        assertThat(decide(RUNBOOK.withMinShards(1).withMaxShards(10), ObservationBuilder.idle(1, minutes(30)).p99(1))
                .reason()).contains("maxShards 10 stays: at the floor 10");
        assertThat(decide(RUNBOOK, ObservationBuilder.idle(40, minutes(30)).p99(40)).reason())
                .contains("maxShards 80 is within 20% of 100: no change");
    }

    @Test
    void raiseWinsWhenBothPicturesShowUp() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.atMax(100, 130, minutes(15)).p99(140)
                .queueAtZeroFor(minutes(40)));

        assertThat(d.state()).isEqualTo(ShardState.RAISE);
    }
}
