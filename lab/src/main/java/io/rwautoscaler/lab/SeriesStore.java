package io.rwautoscaler.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scraping Prometheus, reduced to what the deciders ask of it: per series, the values scraped at each scrape
 * (every {@code scrapeInterval}); the last value at or before a time (a 5-minute lookback), and windows of values.
 */
final class SeriesStore {

    private final Map<String, List<double[]>> series = new HashMap<>();

    void add(String name, double t, double value) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {t, value});
    }

    /** Index of the newest point at or before {@code t}, -1 when none (points are added in time order). */
    private static int indexAtOrBefore(List<double[]> s, double t) {
        int lo = 0;
        int hi = s.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (s.get(mid)[0] <= t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The newest value at or before {@code t} and not older than 5 minutes; NaN when none. */
    double last(String name, double t) {
        List<double[]> s = series.get(name);
        int i = s == null ? -1 : indexAtOrBefore(s, t);
        if (i < 0) {
            return Double.NaN;
        }
        double[] p = s.get(i);
        return t - p[0] <= 300 ? p[1] : Double.NaN;
    }

    double lastTime(String name, double t) {
        List<double[]> s = series.get(name);
        int i = s == null ? -1 : indexAtOrBefore(s, t);
        return i < 0 ? Double.NaN : s.get(i)[0];
    }

    /** Values in (from, to]. */
    List<Double> window(String name, double from, double to) {
        List<double[]> s = series.get(name);
        List<Double> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        int hi = indexAtOrBefore(s, to);
        int lo = indexAtOrBefore(s, from) + 1;
        for (int i = lo; i <= hi; i++) {
            out.add(s.get(i)[1]);
        }
        return out;
    }

    /** increase() of a counter over [from, to] per second, like rate(); NaN without two points. */
    double rate(String name, double from, double to) {
        List<double[]> s = series.get(name);
        if (s == null) {
            return Double.NaN;
        }
        int hi = indexAtOrBefore(s, to);
        int lo = indexAtOrBefore(s, from - 1e-9) + 1;
        if (hi < 0 || lo >= hi) {
            return Double.NaN;
        }
        double[] first = s.get(lo);
        double[] last = s.get(hi);
        return (last[1] - first[1]) / (last[0] - first[0]);
    }

    /**
     * How long the condition held at every scrape up to {@code t}, walking back; zero when it does not hold at the
     * newest scrape, empty (NaN) when there is no data.
     */
    double heldFor(String name, double t, java.util.function.DoublePredicate condition) {
        List<double[]> s = series.get(name);
        if (s == null || s.isEmpty()) {
            return Double.NaN;
        }
        double since = Double.NaN;
        for (int i = s.size() - 1; i >= 0; i--) {
            double[] p = s.get(i);
            if (p[0] > t) {
                continue;
            }
            if (!condition.test(p[1])) {
                break;
            }
            since = p[0];
        }
        return Double.isNaN(since) ? 0 : t - since;
    }
}
