package io.rwautoscaler.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReceiveClusterTest {

    static Scenario.Receivers receivers(int replicas, boolean parallel) {
        return new Scenario.Receivers(replicas, 3500, Duration.ofSeconds(60), Duration.ofSeconds(60), 1.0,
                2L << 30, 0.05, 0.84, 600L << 20, 1400L << 20, Duration.ofMillis(100), Duration.ofSeconds(15),
                "hashmod", false, parallel, true);
    }

    @ParameterizedTest
    @CsvSource({
            "hashmod, 3, 6, 0.5",      // residues mod 6 that keep r % 3: 0, 1, 2 of 6
            "hashmod, 3, 4, 0.75",     // 3 of 12
            "hashmod, 3, 3, 0",
            "ketama,  3, 6, 0.5",
            "ketama,  6, 5, 0.1666666666666667"})
    void seriesThatMove(String algorithm, int from, int to, double moved) {
        assertThat(ReceiveCluster.movedFraction(algorithm, from, to)).isCloseTo(moved, within(1e-12));
    }

    @Test
    void beyondCapacityWritesAreRefusedAndLatencyRises() {
        ReceiveCluster c = new ReceiveCluster(receivers(3, false), 1);
        c.reconcile(0);
        assertThat(c.ingest(0, 8_000, 1)).isEqualTo(1.0);
        double idle = c.latency();
        assertThat(c.ingest(1, 14_000, 1)).isCloseTo(10_500.0 / 14_000, within(1e-9));
        assertThat(c.latency()).isGreaterThan(idle);
        assertThat(c.refusedSamplesPerSecond(1)).isCloseTo(3_500, within(1e-6));
    }

    @Test
    void aNewPodTakesWritesOnlyOnceReadyAndInTheHashringTheReceiversLoaded() {
        ReceiveCluster c = new ReceiveCluster(receivers(3, false), 1);
        c.reconcile(0);
        c.scale(4);
        c.reconcile(1);
        assertThat(c.pods()).hasSize(4);
        c.reconcile(61);
        assertThat(c.readyPods(61)).hasSize(4);
        c.ingest(61, 14_000, 1);
        assertThat(c.pods().get(3).utilization()).as("ready but not in the hashring").isZero();
        c.writeHashring(61, List.of(0, 1, 2, 3), false);
        for (int t = 62; t <= 200; t++) {
            c.reconcile(t);
        }
        assertThat(c.ingest(200, 14_000, 1)).isEqualTo(1.0);
        assertThat(c.pods().get(3).utilization()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void receiversFlushOnAHashringChangeAndRefuseWhileTheyDo() {
        ReceiveCluster c = new ReceiveCluster(receivers(3, false), 7);
        c.reconcile(0);
        c.writeHashring(0, List.of(0, 1, 2), false);
        double worst = 1;
        for (int t = 1; t <= 120; t++) {
            c.reconcile(t);
            worst = Math.min(worst, c.ingest(t, 3_000, 1));
        }
        assertThat(worst).as("some receiver was flushing").isLessThan(1.0);
        assertThat(c.ingest(121, 3_000, 1)).isEqualTo(1.0);
    }

    @Test
    void orderedReadyStartsOnePodAtATimeParallelAllAtOnce() {
        ReceiveCluster ordered = new ReceiveCluster(receivers(3, false), 1);
        ReceiveCluster parallel = new ReceiveCluster(receivers(3, true), 1);
        for (ReceiveCluster c : List.of(ordered, parallel)) {
            c.reconcile(0);
            c.scale(6);
            for (int t = 1; t <= 70; t++) {
                c.reconcile(t);
            }
        }
        assertThat(ordered.readyPods(70)).hasSize(4);
        assertThat(parallel.readyPods(70)).hasSize(6);
    }
}
