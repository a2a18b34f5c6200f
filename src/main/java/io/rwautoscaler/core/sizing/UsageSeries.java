package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.Sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Usage points of one container over time (CPU in cores, memory in bytes), ordered by time. Several pods of one
 * container merge into one series, so a timestamp may repeat. Missing data is simply absent: a gap adds neither
 * points nor coverage and is never read as zero, which would drag percentiles and means down.
 *
 * <p>{@code step} is the spacing the points were produced at (a range query's step, or the scrape interval).
 * Each point stands for at most one step of observation; two consecutive timestamps more than 1.5 steps apart
 * enclose a gap (1.5 rather than 1 so that scrape jitter is not a gap).
 *
 * <p>Backed by primitive arrays; {@link #window} returns a view that shares them, so the sizing loop can read
 * 2016-point series for a thousand containers without copying them.
 */
public final class UsageSeries {

    private static final long[] NO_TIMES = new long[0];
    private static final double[] NO_VALUES = new double[0];

    private final long stepMillis;
    private final long[] times;
    private final double[] values;
    private final int from;
    private final int to;

    private UsageSeries(long stepMillis, long[] times, double[] values, int from, int to) {
        this.stepMillis = stepMillis;
        this.times = times;
        this.values = values;
        this.from = from;
        this.to = to;
    }

    /**
     * A series from epoch-millisecond timestamps in non-decreasing order and their values. Non-finite values
     * (NaN, ±Inf) are dropped as gaps. The arrays are copied.
     */
    public static UsageSeries of(Duration step, long[] epochMillis, double[] values) {
        long stepMillis = positiveMillis(step);
        if (epochMillis.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length: "
                    + epochMillis.length + " vs " + values.length);
        }
        int finite = 0;
        for (int i = 0; i < epochMillis.length; i++) {
            if (i > 0 && epochMillis[i] < epochMillis[i - 1]) {
                throw new IllegalArgumentException("timestamps must not decrease, at index " + i);
            }
            if (Double.isFinite(values[i])) {
                finite++;
            }
        }
        long[] t = new long[finite];
        double[] v = new double[finite];
        int n = 0;
        for (int i = 0; i < epochMillis.length; i++) {
            if (Double.isFinite(values[i])) {
                t[n] = epochMillis[i];
                v[n] = values[i];
                n++;
            }
        }
        return new UsageSeries(stepMillis, t, v, 0, n);
    }

    /** Points every {@code step} from {@code start}; a NaN stands for a missing point (a gap). Handy in tests. */
    public static UsageSeries regular(Instant start, Duration step, double... values) {
        long stepMillis = positiveMillis(step);
        long[] t = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            t[i] = start.toEpochMilli() + i * stepMillis;
        }
        return of(step, t, values);
    }

    /** From Prometheus samples in any order (one range-query series, or several pods' series of one container). */
    public static UsageSeries fromSamples(Duration step, List<Sample> samples) {
        Sample[] sorted = samples.toArray(new Sample[0]);
        Arrays.sort(sorted, Comparator.comparing(Sample::timestamp));
        long[] t = new long[sorted.length];
        double[] v = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            t[i] = sorted[i].timestamp().toEpochMilli();
            v[i] = sorted[i].value();
        }
        return of(step, t, v);
    }

    public static UsageSeries empty(Duration step) {
        return new UsageSeries(positiveMillis(step), NO_TIMES, NO_VALUES, 0, 0);
    }

    /**
     * The pods of one container as one series, in time order. The step is the first series' step: series of one
     * container come from one query and share it.
     */
    public static UsageSeries merge(List<UsageSeries> pods) {
        if (pods.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        if (pods.size() == 1) {
            return pods.get(0);
        }
        int total = 0;
        for (UsageSeries s : pods) {
            total += s.pointCount();
        }
        long[] t = new long[total];
        double[] v = new double[total];
        int[] next = new int[pods.size()];
        for (int i = 0; i < pods.size(); i++) {
            next[i] = pods.get(i).from;
        }
        // k-way merge by scanning the heads: k is the replica count, small next to the points.
        for (int n = 0; n < total; n++) {
            int best = -1;
            for (int i = 0; i < pods.size(); i++) {
                UsageSeries s = pods.get(i);
                if (next[i] < s.to && (best < 0 || s.times[next[i]] < pods.get(best).times[next[best]])) {
                    best = i;
                }
            }
            UsageSeries s = pods.get(best);
            t[n] = s.times[next[best]];
            v[n] = s.values[next[best]];
            next[best]++;
        }
        return new UsageSeries(pods.get(0).stepMillis, t, v, 0, total);
    }

    /** The points with from &lt; t ≤ to, like a Prometheus range selector {@code [window]} evaluated at {@code to}. */
    public UsageSeries window(Instant from, Instant to) {
        int lo = firstAfter(from.toEpochMilli());
        int hi = firstAfter(to.toEpochMilli());
        return lo == this.from && hi == this.to ? this : new UsageSeries(stepMillis, times, values, lo, hi);
    }

    public Duration step() {
        return Duration.ofMillis(stepMillis);
    }

    public int pointCount() {
        return to - from;
    }

    public boolean isEmpty() {
        return to == from;
    }

    public Instant timeAt(int i) {
        return Instant.ofEpochMilli(times[index(i)]);
    }

    long epochMillisAt(int i) {
        return times[index(i)];
    }

    public double valueAt(int i) {
        return values[index(i)];
    }

    /**
     * Time observed: each distinct timestamp covers the time until the next one, but at most one step, so gaps
     * add nothing and points denser than the step are not counted twice.
     */
    public Duration coverage() {
        if (isEmpty()) {
            return Duration.ZERO;
        }
        long covered = stepMillis;
        for (int i = from + 1; i < to; i++) {
            covered += Math.min(times[i] - times[i - 1], stepMillis);
        }
        return Duration.ofMillis(covered);
    }

    /** How many times consecutive points are more than 1.5 steps apart. */
    public int gapCount() {
        int gaps = 0;
        for (int i = from + 1; i < to; i++) {
            if (isGap(times[i] - times[i - 1])) {
                gaps++;
            }
        }
        return gaps;
    }

    /** The time missing inside gaps (the part of each gap beyond one step). */
    public Duration gapDuration() {
        long missing = 0;
        for (int i = from + 1; i < to; i++) {
            long delta = times[i] - times[i - 1];
            if (isGap(delta)) {
                missing += delta - stepMillis;
            }
        }
        return Duration.ofMillis(missing);
    }

    /** NaN when empty. */
    public double max() {
        double max = Double.NaN;
        for (int i = from; i < to; i++) {
            max = i == from ? values[i] : Math.max(max, values[i]);
        }
        return max;
    }

    /** NaN when empty. The mean of the points, so each observed instant weighs the same and gaps weigh nothing. */
    public double mean() {
        if (isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / pointCount();
    }

    /** The q-quantile by linear interpolation (see {@link Percentiles}); NaN when empty. Allocates one copy. */
    public double percentile(double q) {
        return percentile(q, new double[pointCount()]);
    }

    /** As {@link #percentile(double)}, using {@code scratch} (at least {@link #pointCount()} long) for the copy. */
    double percentile(double q, double[] scratch) {
        int n = pointCount();
        System.arraycopy(values, from, scratch, 0, n);
        return Percentiles.linear(scratch, n, q);
    }

    /** Everything the sizing report shows about a series. */
    public UsageStatistics statistics(double q) {
        return statistics(q, new double[pointCount()]);
    }

    UsageStatistics statistics(double q, double[] scratch) {
        return new UsageStatistics(pointCount(), coverage(), gapCount(), gapDuration(),
                q, percentile(q, scratch), max(), mean());
    }

    boolean isGap(long deltaMillis) {
        return 2 * deltaMillis > 3 * stepMillis;
    }

    private int firstAfter(long millis) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= millis) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int index(int i) {
        Objects.checkIndex(i, pointCount());
        return from + i;
    }

    private static long positiveMillis(Duration step) {
        long millis = step.toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
        return millis;
    }

    @Override
    public String toString() {
        return "UsageSeries[points=" + pointCount() + ", step=" + step() + ", coverage=" + coverage() + "]";
    }
}
