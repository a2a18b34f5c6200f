package io.rwautoscaler.sizing;

import io.rwautoscaler.core.sizing.CostModel;
import io.rwautoscaler.core.sizing.SizingPolicy;

import java.util.List;
import java.util.Objects;

/**
 * Right-sizing configuration as the loop uses it, validated (see {@link Wiring}).
 *
 * @param namespaceGroups the namespaces, grouped as they are queried together
 * @param policy          the sizing policy, with the configured bounds; VPA bounds are added per run
 */
public record RightSizingSettings(String cluster, List<List<String>> namespaceGroups, SizingPolicy policy,
                                  CostModel prices) {

    public RightSizingSettings {
        Objects.requireNonNull(cluster, "cluster");
        namespaceGroups = namespaceGroups.stream().map(List::copyOf).toList();
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(prices, "prices");
    }
}
