package io.rwautoscaler.core.replay;

import java.util.Map;
import java.util.Objects;

/**
 * What the receivers' HPA would have read, on the receiver side's fine grid, as recorded on the real fleet: the
 * total of each served metric that is spread over the receivers ({@code type: Pods}, e.g. the agents' queue length),
 * the total of each external metric, and the receivers' average CPU and memory utilization of their requests
 * ({@code type: Resource}). NaN = no data at that point.
 *
 * @param errors why a figure has no or partial data
 */
public record HpaFigures(Map<String, double[]> podsTotals, Map<String, double[]> externalTotals,
                         double[] cpuUtilization, double[] memoryUtilization, Map<String, String> errors) {

    public HpaFigures {
        podsTotals = Map.copyOf(podsTotals);
        externalTotals = Map.copyOf(externalTotals);
        Objects.requireNonNull(cpuUtilization, "cpuUtilization");
        Objects.requireNonNull(memoryUtilization, "memoryUtilization");
        errors = Map.copyOf(errors);
    }
}
