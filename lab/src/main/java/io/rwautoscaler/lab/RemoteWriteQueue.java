package io.rwautoscaler.lab;

import java.util.ArrayDeque;

/**
 * One agent's remote-write queue: a port of Prometheus' queue manager (storage/remote/queue_manager.go, 2.4x) as a
 * fluid model advanced in ticks of {@code dt} seconds. What it keeps from upstream:
 * <ul>
 *   <li><b>WAL and watcher.</b> Appended samples go to the WAL; the watcher reads them into the shards only while
 *       they have room: each shard holds at most {@code capacity} samples in its channel plus one batch being
 *       filled ({@code capacity + maxSamplesPerSend}, upstream's "about 12,000 samples per shard" at the defaults;
 *       Prometheus 2.42 with capacity 2500/500 and one shard stops at 3,499). A full queue blocks the watcher, so
 *       the rest waits in the WAL: not in {@code samples_pending}, but in the lag. Unsent samples older than the WAL
 *       retention are lost.</li>
 *   <li><b>Sending.</b> Each shard sends one batch at a time; a batch takes the receivers' latency, and a batch
 *       refused with a recoverable error (5xx, 429) is retried after a backoff that doubles from
 *       {@code minBackoff} to {@code maxBackoff}. Batches are full ({@code maxSamplesPerSend}) when the shard has a
 *       backlog, else what arrives within {@code batchSendDeadline}.</li>
 *   <li><b>Resharding</b> ({@code updateShardsLoop}, {@code calculateDesiredShards}, {@code shouldReshard}): every
 *       10 s, with EWMAs (weight 0.2) of samples in, samples out and send duration:
 *       desired = timePerSample × (inRate + 0.05 × pending), pending = lag × inRate; no change within ±30 % of the
 *       current shards; no downsharding while more than 10 s behind; clamped to min/max; no resharding when the
 *       last successful send is older than 2 × batchSendDeadline, nor for twice the retry backoff after a
 *       recoverable error (prometheus#13562, 2.51; {@code reshardDuringBackoff: true} models older agents such as
 *       2.42, which resharded during outages and dropped data at the flush deadline, prometheus#12559). A reshard stops the shards, which flush what they
 *       hold (the watcher waits), then starts the new number; a flush longer than the flush deadline drops the
 *       rest (counted as lost).</li>
 *   <li><b>Config reload</b> (the shard tuner's patch): the queue is stopped the same way and a new one starts at
 *       minShards.</li>
 * </ul>
 * Simplifications, stated in docs/surge-lab.md: samples are fluid (no series-to-shard hashing, so shards are evenly
 * loaded); scrapes are spread evenly over time rather than arriving in bursts; the gauge {@code samples_pending} is
 * the backlog in the shards plus the samples in flight (send rate × latency), not the partial batches waiting for
 * their deadline.
 */
public final class RemoteWriteQueue {

    /** upstream shardUpdateDuration */
    public static final double SHARD_UPDATE_SECONDS = 10;
    /** upstream shardToleranceFraction */
    public static final double SHARD_TOLERANCE = 0.3;

    private Scenario.QueueSettings cfg;
    private final double walRetentionSeconds;

    private final ArrayDeque<double[]> wal = new ArrayDeque<>();      // {timestamp, samples} not yet read
    private final ArrayDeque<double[]> shardsQ = new ArrayDeque<>();  // {timestamp, samples} in the shards
    private double walTotal;
    private double pendingTotal;

    private int numShards;
    private double desiredShards;
    private int flushTarget = -1;           // >= 0 while the shards flush before a reshard or restart
    private double flushStartedAt;
    private Scenario.QueueSettings configAfterFlush;

    private final Ewma samplesIn = new Ewma(SHARD_UPDATE_SECONDS);
    private final Ewma samplesOut = new Ewma(SHARD_UPDATE_SECONDS);
    private final Ewma samplesOutDuration = new Ewma(SHARD_UPDATE_SECONDS);
    private double nextShardUpdate;

    private double highestRecv;
    private double highestSent;
    private double lastSuccessfulSend;
    private double backoff;
    private double reshardDisabledUntil = Double.NEGATIVE_INFINITY;
    private final boolean reshardDuringBackoff;
    private double accept = 1;
    private double latency;

    /** The watcher sleeps until then: it found a full shard and retries enqueueing with a doubling backoff. */
    private boolean watcherBlocked;
    private double watcherRetryAt;     // the next enqueue retry
    private double watcherGap;         // the current retry backoff
    private double watcherRoomAt;      // when the blocked sample's shard will have room, as now expected
    private int watcherBlocks;

    private double attempt;
    private double batchSize;
    private double lastSentRate;
    private double lastInRate;

    private double inTotal;
    private double sentTotal;
    private double retriedTotal;
    private double lostWal;
    private double lostFlush;
    private int reshards;
    private int restarts;

    public RemoteWriteQueue(Scenario.QueueSettings cfg, double walRetentionSeconds, double startSeconds,
                            double initialLatency, boolean reshardDuringBackoff) {
        this.cfg = cfg;
        this.reshardDuringBackoff = reshardDuringBackoff;
        this.walRetentionSeconds = walRetentionSeconds;
        this.numShards = cfg.minShards();
        this.desiredShards = cfg.minShards();
        this.highestRecv = startSeconds;
        this.highestSent = startSeconds;
        this.lastSuccessfulSend = startSeconds;
        this.nextShardUpdate = startSeconds + SHARD_UPDATE_SECONDS;
        this.latency = initialLatency;
    }

    /** Samples a shard holds before the watcher has to wait: its channel plus the batch being filled. */
    public int perShardBound() {
        return cfg.capacity() + cfg.maxSamplesPerSend();
    }

    /** Phase 1 of a tick: scrape appends to the WAL, old WAL data is dropped, the watcher fills the shards. */
    public void append(double t, double samples) {
        if (samples > 0) {
            wal.addLast(new double[] {t, samples});
            walTotal += samples;
            inTotal += samples;
            samplesIn.incr(samples);
            highestRecv = t;
        }
        lastInRate = samples;
        while (!wal.isEmpty() && wal.peekFirst()[0] < t - walRetentionSeconds) {
            double[] b = wal.pollFirst();
            walTotal -= b[1];
            lostWal += b[1];
        }
        if (watcherBlocked) {
            retryEnqueue(t);
        }
        refill(t);
    }

    /**
     * The watcher moves WAL samples into the shards while they have room and it is not sleeping on a full shard.
     * Called before the tick's sends and again after them: upstream's watcher refills as soon as a batch leaves, so a
     * queue with a WAL backlog stays full (bound + in flight) rather than one tick of sends below it.
     */
    private void refill(double t) {
        if (flushTarget < 0 && !watcherBlocked) {
            double room = (double) numShards * perShardBound() - pendingTotal;
            while (room > 1e-9 && !wal.isEmpty()) {
                double[] b = wal.peekFirst();
                double take = Math.min(room, b[1]);
                move(b, take);
                room -= take;
            }
            if (walTotal > 1e-6) {
                watcherBlocked = true;
                watcherBlocks++;
                watcherGap = ENQUEUE_FIRST_BACKOFF;
                watcherRetryAt = t + watcherGap;
                watcherRoomAt = t + blockedShardWait();
            }
        }
    }

    /** Upstream's first enqueue retry in {@code QueueManager.Append} ("a very small backoff", 5 ms). */
    static final double ENQUEUE_FIRST_BACKOFF = 0.005;

    /**
     * The queue is full: upstream's {@code Append} retries the sample that did not fit after 5 ms, doubling up to
     * {@code maxBackoff}, and reads nothing else meanwhile. Its shard has room once its batch in flight is stored,
     * one send cycle away (latency, plus retries while the receivers refuse); the watcher notices at its first retry
     * after that. Meanwhile the other shards drain: under refusals the queue empties between refills (a sawtooth
     * in {@code samples_pending}, and less sent than the receivers would take).
     */
    private double blockedShardWait() {
        // The shard that blocks the watcher is the one that has not stored for longest: while the receivers refuse,
        // its batch is retried at the longest backoff.
        double a = Math.max(accept, 0.01);
        return latency + (1 - a) / a * (latency + (a < 0.999 ? seconds(cfg.maxBackoff()) : 0));
    }

    /** The watcher's retries due by {@code t}; the expected room moves earlier when the receivers recover. */
    private void retryEnqueue(double t) {
        watcherRoomAt = Math.min(watcherRoomAt, t + blockedShardWait());
        while (watcherRetryAt <= t) {
            if (watcherRetryAt >= watcherRoomAt) {
                watcherBlocked = false;
                return;
            }
            watcherGap = Math.min(2 * watcherGap, seconds(cfg.maxBackoff()));
            watcherRetryAt += watcherGap;
        }
    }

    /** When Append's retries (5 ms, doubling, capped at maxBackoff) first find room that appears after {@code wait}. */
    static double enqueueRetryAfter(double wait, double maxBackoff) {
        double gap = ENQUEUE_FIRST_BACKOFF;
        double retry = gap;
        while (retry < wait) {
            gap = Math.min(2 * gap, maxBackoff);
            retry += gap;
        }
        return retry;
    }

    /** Times the watcher found the queue full and slept (upstream: {@code enqueue_retries_total}, per sample). */
    public int watcherBlocks() {
        return watcherBlocks;
    }

    /** Time a shard takes to get one batch stored: the latency, plus refused tries and their backoff. */
    private double sendCycle(double latencySeconds) {
        double a = Math.max(accept, 0.01);
        return latencySeconds + (1 - a) / a * (latencySeconds + backoff);
    }

    private void move(double[] bucket, double take) {
        bucket[1] -= take;
        walTotal -= take;
        if (bucket[1] <= 1e-9) {
            wal.pollFirst();
        }
        double[] last = shardsQ.peekLast();
        if (last != null && last[0] == bucket[0]) {
            last[1] += take;
        } else {
            shardsQ.addLast(new double[] {bucket[0], take});
        }
        pendingTotal += take;
    }

    /** Phase 2: the samples the shards try to send this tick, at the latency and refusals the receivers showed. */
    public double offer(double dt) {
        double perShard = pendingTotal / Math.max(1, numShards);
        double arriving = lastInRate / Math.max(1, numShards);
        // Backlogged shards send full batches; otherwise a batch is what arrives before the deadline.
        batchSize = perShard >= cfg.maxSamplesPerSend() ? cfg.maxSamplesPerSend()
                : Math.max(1, Math.min(cfg.maxSamplesPerSend(), Math.max(perShard, arriving * seconds(cfg.batchSendDeadline()))));
        double capacity = numShards * batchSize / sendCycle(latency) * dt;
        attempt = Math.min(pendingTotal, capacity);
        return attempt;
    }

    /**
     * Phase 3: what the receivers did with this tick's attempt.
     *
     * @param acceptedFraction share of the attempt the receivers stored (the rest was refused, recoverably)
     * @param latencySeconds   mean latency of a remote-write request this tick
     */
    public void settle(double t, double dt, double acceptedFraction, double latencySeconds) {
        double accepted = attempt * acceptedFraction;
        double refused = attempt - accepted;
        retriedTotal += refused;
        removeSent(accepted);
        sentTotal += accepted;
        lastSentRate = accepted / dt;
        if (accepted > 0) {
            lastSuccessfulSend = t;
        }
        double a = Math.max(acceptedFraction, 0.01);
        double cycle = latencySeconds + (1 - a) / a * (latencySeconds + backoff);
        samplesOut.incr(accepted);
        samplesOutDuration.incr(Math.min(numShards * dt, accepted / Math.max(1, batchSize) * cycle));
        if (acceptedFraction < 0.999) {
            backoff = backoff == 0 ? seconds(cfg.minBackoff()) : Math.min(2 * backoff, seconds(cfg.maxBackoff()));
            // prometheus#13562 (2.51): no resharding for twice the backoff after a recoverable error
            reshardDisabledUntil = Math.max(reshardDisabledUntil, t + 2 * backoff);
        } else {
            backoff = 0;
        }
        // The share of requests that succeed, as the shards experience it over the last few seconds (an EWMA with
        // weight 0.2 per tick): a fluid model that reacted to one tick's refusals alone would swing between
        // flooding the receivers and starving them.
        accept += 0.2 * (acceptedFraction - accept);
        latency = latencySeconds;

        if (flushTarget >= 0) {
            if (pendingTotal <= 1e-6) {
                finishFlush();
            } else if (t - flushStartedAt >= seconds(cfg.flushDeadline())) {
                lostFlush += pendingTotal;     // hard shutdown: what did not flush in time is dropped
                shardsQ.clear();
                pendingTotal = 0;
                finishFlush();
            }
        }
        // the end of the tick: the retries due by then, and what the shards' sends made room for
        if (watcherBlocked) {
            retryEnqueue(t + dt - 1e-6);
        }
        refill(t + dt - 1e-6);
        if (t + 1e-9 >= nextShardUpdate) {
            nextShardUpdate += SHARD_UPDATE_SECONDS;
            updateShards(t);
        }
    }

    private void removeSent(double samples) {
        double left = samples;
        while (left > 1e-9 && !shardsQ.isEmpty()) {
            double[] b = shardsQ.peekFirst();
            double take = Math.min(left, b[1]);
            b[1] -= take;
            left -= take;
            pendingTotal -= take;
            highestSent = Math.max(highestSent, b[0]);
            if (b[1] <= 1e-9) {
                shardsQ.pollFirst();
            }
        }
        if (shardsQ.isEmpty() && wal.isEmpty()) {
            pendingTotal = 0;
            highestSent = highestRecv;
        }
    }

    private void finishFlush() {
        if (configAfterFlush != null) {
            cfg = configAfterFlush;
            configAfterFlush = null;
        }
        numShards = flushTarget;
        flushTarget = -1;
    }

    /** calculateDesiredShards + shouldReshard, every shardUpdateDuration. */
    private void updateShards(double t) {
        samplesIn.tick();
        samplesOut.tick();
        samplesOutDuration.tick();
        double inRate = samplesIn.rate();
        double outRate = samplesOut.rate();
        double outDuration = samplesOutDuration.rate();
        double delay = highestRecv - highestSent;
        double dataPending = delay * inRate;
        if (outRate <= 0) {
            return;
        }
        double timePerSample = outDuration / outRate;
        desiredShards = timePerSample * (inRate + 0.05 * dataPending);
        if (flushTarget >= 0) {
            return; // "Currently resharding, skipping."
        }
        int next = nextShards(numShards, desiredShards, delay, cfg.minShards(), cfg.maxShards());
        if (next == numShards) {
            return;
        }
        if (lastSuccessfulSend < t - 2 * seconds(cfg.batchSendDeadline())) {
            return; // "Skipping resharding, last successful send was beyond threshold"
        }
        if (!reshardDuringBackoff && t < reshardDisabledUntil) {
            return; // "Skipping resharding, disabled until"
        }
        reshards++;
        startFlush(t, next, null);
    }

    /**
     * The shard count calculateDesiredShards returns: the current one within ±30 % (after rounding up), none lower
     * while more than 10 s behind, else the desired one within [min, max].
     */
    static int nextShards(int current, double desired, double delaySeconds, int min, int max) {
        double lower = current * (1 - SHARD_TOLERANCE);
        double upper = current * (1 + SHARD_TOLERANCE);
        double ceil = Math.ceil(desired);
        if (lower <= ceil && ceil <= upper) {
            return current;
        }
        int next = (int) ceil;
        if (next < current && delaySeconds > 10.0) {
            return current;
        }
        return Math.max(min, Math.min(max, next));
    }

    private void startFlush(double t, int target, Scenario.QueueSettings after) {
        flushTarget = target;
        flushStartedAt = t;
        configAfterFlush = after;
        if (pendingTotal <= 1e-6) {
            finishFlush();
        }
    }

    /** A new queue_config reached the agent: the queue is stopped (flushed) and restarted at minShards. */
    public void reconfigure(double t, Scenario.QueueSettings next) {
        restarts++;
        startFlush(t, next.minShards(), next);
    }

    public Scenario.QueueSettings config() {
        return cfg;
    }

    /** {@code prometheus_remote_storage_samples_pending}: shard backlog plus samples in flight. */
    public double pending() {
        return pendingTotal + lastSentRate * latency;
    }

    /** Samples read neither into the shards nor sent: waiting in the WAL. */
    public double walBacklog() {
        return walTotal;
    }

    /** highest_timestamp_in − queue_highest_sent_timestamp, seconds. */
    public double lagSeconds() {
        return Math.max(0, highestRecv - highestSent);
    }

    public int shards() {
        return numShards;
    }

    public double desiredShards() {
        return desiredShards;
    }

    public double lost() {
        return lostWal + lostFlush;
    }

    public double lostFromWal() {
        return lostWal;
    }

    public double lostOnFlush() {
        return lostFlush;
    }

    public double inTotal() {
        return inTotal;
    }

    public double sentTotal() {
        return sentTotal;
    }

    public double retriedTotal() {
        return retriedTotal;
    }

    public double sendLatency() {
        return latency;
    }

    public int reshards() {
        return reshards;
    }

    public int restarts() {
        return restarts;
    }

    public boolean flushing() {
        return flushTarget >= 0;
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }
}
