package io.rwautoscaler.core.sizing;

import java.util.Objects;

/**
 * Monthly cost and saving summed over the workloads of a namespace, or of a whole cluster ({@code namespace} is
 * {@code ""} then).
 */
public record SavingTotal(String cluster, String namespace, int workloads, int flaggedWorkloads, MonthlyCost cost) {

    public SavingTotal {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(cost, "cost");
    }

    SavingTotal add(WorkloadRecommendation item) {
        return new SavingTotal(cluster, namespace, workloads + 1, flaggedWorkloads + (item.flagged() ? 1 : 0),
                cost.plus(item.cost()));
    }
}
