package io.rwautoscaler.core.sizing;

import java.time.Duration;
import java.util.Objects;

/**
 * What the usage of one container resource looked like over the window: how much data there was, and its
 * percentile (at {@code quantile}), maximum and mean. Values are NaN when there were no points.
 *
 * @param points     usage points in the window (all pods of the container together)
 * @param coverage   time observed, gaps excluded (see {@link UsageSeries#coverage()})
 * @param gaps       number of gaps
 * @param gapTime    time missing inside gaps
 * @param quantile   the q the {@code percentile} was computed at, e.g. 0.95
 * @param percentile linear-interpolation quantile, as Prometheus's {@code quantile_over_time}
 */
public record UsageStatistics(int points, Duration coverage, int gaps, Duration gapTime, double quantile,
                              double percentile, double max, double mean) {

    public UsageStatistics {
        Objects.requireNonNull(coverage, "coverage");
        Objects.requireNonNull(gapTime, "gapTime");
    }

    /** Enough data to size from: at least {@code minimum} observed (gaps excluded), by the one "held for" rule. */
    public boolean covers(Duration minimum) {
        return points > 0 && io.rwautoscaler.core.model.WindowCoverage.of(minimum, coverage).covered();
    }
}
