package io.rwautoscaler.core.replay;

import java.util.Map;
import java.util.Objects;

/**
 * The receiver side of history, every series on one fine grid (the policy's evaluation step, so a rule's
 * {@code for} window is proven at the same resolution as live): each distinct rule expression, the samples/s
 * the agents offered, and the replicas the receive StatefulSet really had ({@code kube_statefulset_replicas}).
 * The grid starts early enough for the longest {@code for} window before the first step.
 *
 * @param byExpression a rule expression's values (NaN = no data); a rule whose expression is absent has no data
 * @param errors       why an expression (or {@code samples}/{@code replicas}) has no or partial data
 */
public record ReceiverHistory(Grid grid, Map<String, double[]> byExpression, double[] samplesPerSecond,
                              double[] recordedReplicas, Map<String, String> errors) {

    public ReceiverHistory {
        Objects.requireNonNull(grid, "grid");
        byExpression = Map.copyOf(byExpression);
        Objects.requireNonNull(samplesPerSecond, "samplesPerSecond");
        Objects.requireNonNull(recordedReplicas, "recordedReplicas");
        errors = Map.copyOf(errors);
        for (Map.Entry<String, double[]> e : byExpression.entrySet()) {
            requireSize(e.getValue(), grid, e.getKey());
        }
        requireSize(samplesPerSecond, grid, "samples/s");
        requireSize(recordedReplicas, grid, "replicas");
    }

    private static void requireSize(double[] values, Grid grid, String what) {
        if (values.length != grid.size()) {
            throw new IllegalArgumentException(what + ": " + values.length + " points on a grid of " + grid.size());
        }
    }
}
