package io.rwautoscaler.core.sizing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation of every workload in scope, with totals per namespace and per cluster (sorted by cluster, then
 * namespace). Totals add the per-workload amounts already rounded to cents, so they match the items shown.
 */
public record RightSizingReport(Instant evaluatedAt, List<WorkloadRecommendation> items,
                                List<SavingTotal> namespaceTotals, List<SavingTotal> clusterTotals, MonthlyCost total) {

    public RightSizingReport {
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        items = List.copyOf(items);
        namespaceTotals = List.copyOf(namespaceTotals);
        clusterTotals = List.copyOf(clusterTotals);
        Objects.requireNonNull(total, "total");
    }

    public List<WorkloadRecommendation> flagged() {
        return items.stream().filter(WorkloadRecommendation::flagged).toList();
    }
}
