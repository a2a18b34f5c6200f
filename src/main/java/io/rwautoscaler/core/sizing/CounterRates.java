package io.rwautoscaler.core.sizing;

import java.time.Duration;
import java.util.Arrays;

/**
 * Turns a cumulative counter (e.g. {@code container_cpu_usage_seconds_total} of one pod, in seconds) into a
 * series of per-interval rates (cores), for when an adapter has raw counter samples rather than a
 * {@code rate()} from Prometheus.
 *
 * <p>Resets are handled as Prometheus's {@code rate()} handles them: a value lower than the previous one means
 * the container restarted and the counter began again at zero, so that interval's increase is the new value
 * itself. The negative difference is never used; it would read as negative CPU.
 */
public final class CounterRates {

    private CounterRates() {
    }

    /**
     * One rate point per pair of consecutive samples, stamped at the later one. Intervals longer than a gap
     * (1.5 steps) give no point: an average over hours of missing data would hide the peaks sizing needs.
     * Apply per pod, then {@link UsageSeries#merge} the rates: counters of different pods cannot be mixed.
     */
    public static UsageSeries perInterval(UsageSeries counter) {
        int n = counter.pointCount();
        long[] times = new long[Math.max(0, n - 1)];
        double[] rates = new double[times.length];
        int out = 0;
        for (int i = 1; i < n; i++) {
            long t = counter.epochMillisAt(i);
            long dt = t - counter.epochMillisAt(i - 1);
            if (dt <= 0 || counter.isGap(dt)) {
                continue;
            }
            double previous = counter.valueAt(i - 1);
            double current = counter.valueAt(i);
            double increase = current >= previous ? current - previous : current;
            times[out] = t;
            rates[out] = increase * 1000.0 / dt;
            out++;
        }
        Duration step = counter.step();
        return UsageSeries.of(step, Arrays.copyOf(times, out), Arrays.copyOf(rates, out));
    }
}
