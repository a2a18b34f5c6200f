package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.Figures;

/** The utilization the runbook aims for (70–80%), as ratios. Sizing aims at the top: the fewest receivers that stay inside. */
public record UtilizationBand(double low, double high) {

    public static final UtilizationBand RUNBOOK = new UtilizationBand(0.70, 0.80);

    public UtilizationBand {
        if (!(low > 0 && low < high && high <= 1)) {
            throw new IllegalArgumentException("utilization band needs 0 < low < high <= 1, got " + low + "–" + high);
        }
    }

    public boolean contains(double utilization) {
        return utilization >= low && utilization <= high;
    }

    @Override
    public String toString() {
        return Figures.percent(low, 0) + "–" + Figures.percent(high, 0);
    }
}
