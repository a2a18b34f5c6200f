package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.shards.QueueSeries;

import java.util.Objects;

/**
 * One queue's figures on the decision steps (floats: a week of 5 m steps for 400 queues is then about 40 MB
 * for every figure together), and its {@code shards_desired} from a history window earlier, for the p99.
 *
 * @param figures        by {@link QueueSignal} ordinal, one value per decision step; NaN = no data
 * @param desiredHistory shards_desired at the step, from {@code historySteps} steps before the first decision
 *                       step to the last one
 */
public record QueueHistory(QueueSeries series, float[][] figures, float[] desiredHistory) {

    public QueueHistory {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(figures, "figures");
        Objects.requireNonNull(desiredHistory, "desiredHistory");
        if (figures.length != QueueSignal.values().length) {
            throw new IllegalArgumentException("one array per figure expected, got " + figures.length);
        }
    }

    public double value(QueueSignal signal, int step) {
        return figures[signal.ordinal()][step];
    }
}
