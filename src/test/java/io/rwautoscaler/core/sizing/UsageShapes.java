package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;

import java.time.Duration;
import java.time.Instant;
import java.util.function.IntToDoubleFunction;

/** Usage series shaped like the runbook's week, ending at {@link #NOW}, with a 5 m step (2016 points a week). */
final class UsageShapes {

    static final Instant NOW = Instant.parse("2025-06-08T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(5);
    static final int POINTS_PER_DAY = 288;
    static final int POINTS_PER_WEEK = 7 * POINTS_PER_DAY;
    static final long MI = SizingPolicy.MIB;
    static final long GI = SizingPolicy.GIB;

    static final ObjectRef AGENT = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "prometheus-agent");
    static final ObjectRef RECEIVERS = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "thanos-receive");

    private UsageShapes() {
    }

    /** {@code points} values every 5 m, the last one at NOW. */
    static UsageSeries lastPoints(int points, IntToDoubleFunction value) {
        double[] values = new double[points];
        for (int i = 0; i < points; i++) {
            values[i] = value.applyAsDouble(i);
        }
        return UsageSeries.regular(NOW.minus(STEP.multipliedBy(points - 1L)), STEP, values);
    }

    static UsageSeries week(IntToDoubleFunction value) {
        return lastPoints(POINTS_PER_WEEK, value);
    }

    static UsageSeries flatWeek(double value) {
        return week(i -> value);
    }

    /**
     * The agent's CPU: 0.12 cores most of the day, 0.18 for half an hour, 0.25 for the nightly compaction-like
     * peak of 55 min. Sorted over the week: 1897 × 0.12, 42 × 0.18, 77 × 0.25, so the p95 (rank 0.95 × 2015 =
     * 1914.25) falls between two 0.18s and is exactly 0.18, as the runbook's figure; the mean is 0.128.
     */
    static UsageSeries agentCpu() {
        return week(i -> {
            int slot = i % POINTS_PER_DAY;
            return slot < 6 ? 0.18 : slot < 17 ? 0.25 : 0.12;
        });
    }

    /** The agent's working set: 200Mi, climbing to 260Mi once a day. */
    static UsageSeries agentMemory(long peakBytes) {
        return week(i -> i % POINTS_PER_DAY == 100 ? peakBytes : 200 * MI);
    }
}
