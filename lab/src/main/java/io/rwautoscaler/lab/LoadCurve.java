package io.rwautoscaler.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Samples/s appended by all agents together over time: points joined by straight lines, flat before the first
 * and after the last. Two points at the same time make a step.
 */
public record LoadCurve(List<Point> points) {

    /** @param atSeconds seconds since the start of the scenario */
    public record Point(double atSeconds, double samplesPerSecond) {
    }

    public LoadCurve {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a load curve needs at least one point");
        }
        points = List.copyOf(points);
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).atSeconds() < points.get(i - 1).atSeconds()) {
                throw new IllegalArgumentException("load points must be in time order: " + points.get(i - 1).atSeconds()
                        + "s is followed by " + points.get(i).atSeconds() + "s");
            }
        }
    }

    public double at(double seconds) {
        Point first = points.get(0);
        if (seconds < first.atSeconds()) {
            return first.samplesPerSecond();
        }
        for (int i = points.size() - 1; i >= 0; i--) {
            Point p = points.get(i);
            if (p.atSeconds() <= seconds) {
                if (i == points.size() - 1) {
                    return p.samplesPerSecond();
                }
                Point next = points.get(i + 1);
                double span = next.atSeconds() - p.atSeconds();
                if (span <= 0) {
                    return next.samplesPerSecond();
                }
                double f = (seconds - p.atSeconds()) / span;
                return p.samplesPerSecond() + f * (next.samplesPerSecond() - p.samplesPerSecond());
            }
        }
        return first.samplesPerSecond();
    }

    /** When the load first moves away from its starting value; the start when it never does. */
    public double firstChangeSeconds() {
        double start = points.get(0).samplesPerSecond();
        for (Point p : points) {
            if (p.samplesPerSecond() != start) {
                // the change starts at the previous point (a ramp starts where its line leaves the start value)
                double prev = 0;
                for (Point q : points) {
                    if (q == p) {
                        break;
                    }
                    prev = q.atSeconds();
                }
                return prev;
            }
        }
        return 0;
    }

    public static LoadCurve of(double... atAndRate) {
        List<Point> pts = new ArrayList<>();
        for (int i = 0; i + 1 < atAndRate.length; i += 2) {
            pts.add(new Point(atAndRate[i], atAndRate[i + 1]));
        }
        return new LoadCurve(pts);
    }
}
