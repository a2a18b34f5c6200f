package io.rwautoscaler.kube;

import java.util.Map;
import java.util.Optional;

/**
 * Labels on every Event this service writes: with {@code autoscaler.cluster} set, which cluster's autoscaler wrote
 * it, so Events exported from several clusters to one place stay apart
 * ({@code kubectl get events -l rwautoscaler.io/cluster=cluster-03}).
 */
public final class EventLabels {

    public static final String CLUSTER = "rwautoscaler.io/cluster";

    private EventLabels() {
    }

    /** Null (no labels) when no cluster is named, so unnamed setups write Events exactly as before. */
    public static Map<String, String> of(Optional<String> cluster) {
        return cluster.filter(c -> !c.isBlank()).map(c -> Map.of(CLUSTER, c)).orElse(null);
    }
}
