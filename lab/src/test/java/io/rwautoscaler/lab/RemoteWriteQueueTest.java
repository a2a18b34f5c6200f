package io.rwautoscaler.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RemoteWriteQueueTest {

    static final Scenario.QueueSettings DEFAULTS = new Scenario.QueueSettings(1, 50, 10_000, 2_000,
            Duration.ofSeconds(5), Duration.ofMillis(30), Duration.ofSeconds(5), Duration.ofMinutes(1));

    /** Runs the queue for {@code seconds} at a constant input, receivers accepting {@code accept} at {@code latency}. */
    static void drive(RemoteWriteQueue q, double from, double seconds, double perSecond, double accept, double latency) {
        for (double t = from; t < from + seconds; t++) {
            q.append(t, perSecond);
            q.offer(1);
            q.settle(t, 1, accept, latency);
        }
    }

    // calculateDesiredShards' band and clamps, rows computed by hand from upstream's code:
    // lower = current × 0.7, upper = current × 1.3, desired rounded up first; no downsharding above 10 s of delay.
    @ParameterizedTest
    @CsvSource({
            "10, 12.0,  0, 1, 50, 10",   // within +30 %
            "10, 13.0,  0, 1, 50, 10",   // upper bound is inclusive
            "10, 13.1,  0, 1, 50, 14",   // ceil(13.1) = 14 > 13
            "10, 6.5,   0, 1, 50, 10",   // ceil(6.5) = 7 = lower bound: inclusive
            "10, 5.5,   0, 1, 50, 6",
            "10, 5.5,  11, 1, 50, 10",   // behind by 11 s: no downsharding
            "10, 5.5,  10, 1, 50, 6",    // exactly 10 s is not "more than ten seconds back"
            "10, 300,   0, 1, 50, 50",   // clamped to maxShards
            "10, 0.2,   0, 3, 50, 3",    // clamped to minShards
            "1,  1.0,   0, 1, 50, 1",
            "1,  1.01,  0, 1, 50, 2"})   // rounded up to 2 before the band: one shard reshards at any desired > 1
    void nextShardsFollowsUpstream(int current, double desired, double delay, int min, int max, int expected) {
        assertThat(RemoteWriteQueue.nextShards(current, desired, delay, min, max)).isEqualTo(expected);
    }

    @Test
    void desiredShardsIsTimePerSampleTimesRateWithoutBacklog() {
        // 1,000 samples/s on one shard, 0.1 s per send: a shard gets 5,000 samples per 5 s deadline, so batches are
        // full (2,000); 0.5 batches a second × 0.1 s = 0.05 s busy per second; timePerSample = 0.05 / 1000;
        // desired = timePerSample × 1000 = 0.05.
        RemoteWriteQueue q = new RemoteWriteQueue(DEFAULTS, 7200, 0, 0.1, false);
        drive(q, 0, 600, 1_000, 1.0, 0.1);
        assertThat(q.desiredShards()).isCloseTo(0.05, within(1e-6));
        assertThat(q.shards()).isEqualTo(1);
        assertThat(q.lagSeconds()).isZero();
        assertThat(q.lost()).isZero();
    }

    @Test
    void slowReceiversMakeTheQueueReshardUpWithinItsBounds() {
        // 5,000 samples/s at 2 s per send: one shard sends 1,000/s, so the backlog grows and desired rises.
        RemoteWriteQueue q = new RemoteWriteQueue(DEFAULTS.withBounds(1, 8, 10_000, 2_000), 7200, 0, 2, false);
        double maxDesired = 0;
        for (int t = 0; t < 120; t++) {
            drive(q, t, 1, 5_000, 1.0, 2.0);
            maxDesired = Math.max(maxDesired, q.desiredShards());
        }
        assertThat(q.reshards()).isPositive();
        assertThat(maxDesired).as("backlog catch-up asked for more than maxShards").isGreaterThan(8);
        assertThat(q.shards()).isEqualTo(8);
        // 8 shards send 8 × 2,000 / 2 s = 8,000/s: the backlog drains and desired settles at 5,000 × 2 / 2,000 = 5,
        // within the band of 8 (ceil 5 ≥ 5.6 is false, but no downsharding happens while more than 10 s behind).
        drive(q, 120, 1200, 5_000, 1.0, 2.0);
        assertThat(q.lagSeconds()).isZero();
        assertThat(q.desiredShards()).isCloseTo(5.0, within(0.01));
    }

    @Test
    void pendingIsBoundedByShardsTimesCapacityAndTheRestWaitsInTheWalAsLag() {
        RemoteWriteQueue q = new RemoteWriteQueue(DEFAULTS.withBounds(4, 4, 10_000, 2_000), 7200, 0, 0.1, false);
        drive(q, 0, 600, 1_000, 0.0, 0.1);     // the receivers refuse everything (recoverable)
        assertThat(q.pending()).isLessThanOrEqualTo(4.0 * (10_000 + 2_000));
        assertThat(q.pending()).isEqualTo(48_000.0);
        assertThat(q.walBacklog()).isCloseTo(600 * 1_000 - 48_000, within(1.0));
        assertThat(q.lagSeconds()).isGreaterThanOrEqualTo(599);
        assertThat(q.lost()).isZero();
        assertThat(q.shards()).as("no resharding while no send succeeds").isEqualTo(4);
    }

    @Test
    void samplesOlderThanTheWalRetentionAreLost() {
        RemoteWriteQueue q = new RemoteWriteQueue(DEFAULTS.withBounds(1, 1, 10_000, 2_000), 600, 0, 0.1, false);
        drive(q, 0, 1800, 100, 0.0, 0.1);
        // 1,800 s of 100 samples/s = 180,000; 12,000 sit in the shard; what is older than 600 s fell out of the WAL.
        assertThat(q.lostFromWal()).isCloseTo(180_000 - 12_000 - 601 * 100, within(200.0));
        assertThat(q.lost()).isEqualTo(q.lostFromWal());
    }

    @Test
    void theQueueDrainsOnceTheReceiversAcceptAgain() {
        RemoteWriteQueue q = new RemoteWriteQueue(DEFAULTS.withBounds(10, 10, 10_000, 2_000), 7200, 0, 0.1, false);
        drive(q, 0, 300, 1_000, 0.0, 0.1);
        assertThat(q.lagSeconds()).isGreaterThan(250);
        drive(q, 300, 300, 1_000, 1.0, 0.1);
        assertThat(q.lagSeconds()).isZero();
        assertThat(q.walBacklog()).isZero();
        assertThat(q.sentTotal()).isCloseTo(600_000, within(1.0));
    }

    @Test
    void olderAgentsReshardDuringBackoffAndDropWhatDoesNotFlushInTime() {
        // Half the requests refused: the modern queue does not reshard while it backs off (prometheus#13562);
        // a 2.4x queue reshards, and its flush, slowed by the refusals, runs past the 1m deadline.
        RemoteWriteQueue modern = new RemoteWriteQueue(DEFAULTS.withBounds(1, 50, 100_000, 2_000), 7200, 0, 1, false);
        RemoteWriteQueue old = new RemoteWriteQueue(DEFAULTS.withBounds(1, 50, 100_000, 2_000), 7200, 0, 1, true);
        drive(modern, 0, 900, 4_000, 0.3, 1.0);
        drive(old, 0, 900, 4_000, 0.3, 1.0);
        assertThat(modern.reshards()).isZero();
        assertThat(modern.lost()).isZero();
        assertThat(old.reshards()).isPositive();
        assertThat(old.lostOnFlush()).isPositive();
    }

    @Test
    void aNewConfigRestartsTheQueueAtMinShards() {
        RemoteWriteQueue q = new RemoteWriteQueue(DEFAULTS.withBounds(5, 5, 10_000, 2_000), 7200, 0, 0.1, false);
        drive(q, 0, 60, 1_000, 1.0, 0.1);
        q.reconfigure(60, DEFAULTS.withBounds(2, 20, 20_000, 2_000));
        drive(q, 61, 10, 1_000, 1.0, 0.1);
        assertThat(q.shards()).isEqualTo(2);
        assertThat(q.config().maxShards()).isEqualTo(20);
        assertThat(q.restarts()).isEqualTo(1);
        assertThat(q.lost()).isZero();
    }

    // QueueManager.Append: a sample that finds its shard full is retried after 5 ms, doubling, capped at maxBackoff;
    // the watcher reads nothing else meanwhile. Cumulative retry times: 0.005, 0.015, 0.035, 0.075, 0.155, 0.315,
    // 0.635, 1.275, 2.555, 5.115, then + maxBackoff.
    @ParameterizedTest
    @CsvSource({
            "0,    5, 0.005",
            "0.1,  5, 0.155",
            "2.6,  5, 5.115",
            "5.2,  5, 10.115",
            "12,   5, 15.115",
            "3,    1, 3.275"})   // capped at 1 s: ..., 1.275, 2.275, 3.275
    void theWatcherRetriesAFullShardWithADoublingBackoff(double wait, double maxBackoff, double expected) {
        assertThat(RemoteWriteQueue.enqueueRetryAfter(wait, maxBackoff)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void underRefusalsTheWatcherSleepsOnAFullQueueInsteadOfRefillingIt() {
        // 4 shards of 1,100 (bound 4,400), 2,000 samples/s in, more than either queue sends. Receivers that keep up
        // but are slow (no refusals): the blocked shard has room one latency later, the watcher's 5 ms retries find
        // it within the tick and it refills every tick. Receivers refusing half the requests: the blocked shard
        // waits out the longest backoff (0.1 + 1 × 5.1 s), the watcher finds room at its 10.115 s retry.
        Scenario.QueueSettings cfg = DEFAULTS.withBounds(4, 4, 1_000, 100);
        RemoteWriteQueue slow = new RemoteWriteQueue(cfg, 7200, 0, 0.5, false);
        RemoteWriteQueue refused = new RemoteWriteQueue(cfg, 7200, 0, 0.1, false);
        drive(slow, 0, 200, 2_000, 1.0, 0.5);
        drive(refused, 0, 200, 2_000, 0.5, 0.1);
        assertThat(slow.walBacklog()).isPositive();
        assertThat(refused.walBacklog()).isPositive();
        assertThat(slow.watcherBlocks()).isGreaterThan(190);
        assertThat(refused.watcherBlocks()).isBetween(15, 25);
    }

    @Test
    void aQueueBehindItsInputStaysFullAsTheWatcherRefillsAfterEverySend() {
        // 2 shards of 1,100 send 2 × 100 / 0.1 s = 2,000/s of 3,000/s: the WAL backlog grows and upstream's watcher
        // refills each batch that leaves, so samples_pending reads the bound (2,200) plus what is in flight, as the
        // calibration's real agents show; refilled once a tick it read 400 (the bound minus a second of sends).
        Scenario.QueueSettings cfg = DEFAULTS.withBounds(2, 2, 1_000, 100);
        RemoteWriteQueue q = new RemoteWriteQueue(cfg, 7200, 0, 0.1, false);
        drive(q, 0, 30, 3_000, 1.0, 0.1);
        assertThat(q.walBacklog()).isPositive();
        assertThat(q.pending()).isGreaterThanOrEqualTo(2_200.0);
    }
}
