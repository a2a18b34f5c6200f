package io.rwautoscaler.lab.calibration;

import java.util.Arrays;

/**
 * The quantities compared, one value per second from time 0 (the load curve's start) to the end; NaN where a side has
 * no value. Pending and lag are the worst agent's; shards and desired shards are per agent (mean over agents).
 */
record Trace(String name, double[] load, double[] pendingMax, double[] lagMax, double[] shards, double[] desired,
             double[] storedPerSecond, double[] refusedPerSecond, double[] pendingMean, double[] lagMean, double lost) {

    static Trace empty(String name, int seconds) {
        return new Trace(name, nan(seconds), nan(seconds), nan(seconds), nan(seconds), nan(seconds), nan(seconds),
                nan(seconds), nan(seconds), nan(seconds), 0);
    }

    private static double[] nan(int n) {
        double[] a = new double[n + 1];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    Trace withLost(double value) {
        return new Trace(name, load, pendingMax, lagMax, shards, desired, storedPerSecond, refusedPerSecond, pendingMean,
                lagMean, value);
    }

    int seconds() {
        return load.length - 1;
    }

    String csv() {
        StringBuilder b = new StringBuilder("seconds,load,pending_max_agent,lag_max_seconds,shards_per_agent,"
                + "desired_shards_per_agent,stored_per_second,refused_per_second,pending_mean_agent,lag_mean_seconds\n");
        for (int t = 0; t < load.length; t++) {
            b.append(t).append(',').append(f(load[t])).append(',').append(f(pendingMax[t])).append(',')
                    .append(f(lagMax[t])).append(',').append(f(shards[t])).append(',').append(f(desired[t]))
                    .append(',').append(f(storedPerSecond[t])).append(',').append(f(refusedPerSecond[t])).append(',')
                    .append(f(pendingMean[t])).append(',').append(f(lagMean[t])).append('\n');
        }
        return b.toString();
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.2f", v);
    }
}
