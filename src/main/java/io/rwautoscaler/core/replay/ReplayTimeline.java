package io.rwautoscaler.core.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The key figures at every decision step, as columns on the decision grid (NaN = unknown): what the chart draws
 * and the CSV lists. Columns: {@link #RECORDED_REPLICAS}, {@link #REPLAYED_REPLICAS}, {@link #SAMPLES_PER_SECOND},
 * {@link #QUEUE_TOTAL}, {@link #QUEUE_PER_RECEIVER} (the served per-receiver queue share on the replayed fleet) and
 * {@link #QUEUE_PER_RECEIVER_RECORDED} (on the real one), {@link #SHARD_CHANGES}, with an HPA replayed
 * {@link #HPA_REPLICAS}, {@link #HPA_WANTED} and {@link #QUEUE_PER_RECEIVER_HPA}, then every rule's value as the
 * replay saw it ({@link #RULE}) and, for per-receiver rules, as recorded ({@link #RECORDED_RULE}).
 */
public record ReplayTimeline(Grid grid, Map<String, double[]> columns) {

    public static final String RECORDED_REPLICAS = "recorded_replicas";
    public static final String REPLAYED_REPLICAS = "replayed_replicas";
    public static final String SAMPLES_PER_SECOND = "samples_per_second";
    public static final String QUEUE_TOTAL = "queue_total";
    public static final String QUEUE_PER_RECEIVER = "queue_per_receiver";
    public static final String QUEUE_PER_RECEIVER_RECORDED = "queue_per_receiver_recorded";
    public static final String SHARD_CHANGES = "shard_changes";
    /** The replicas the receivers' HPA would have set, following its own rescales. */
    public static final String HPA_REPLICAS = "hpa_replicas";
    /** What the HPA's metrics asked for at the last sync, before its stabilization and rate limits. */
    public static final String HPA_WANTED = "hpa_wanted";
    /** The served queue metric per receiver on the HPA's fleet: the agents' queue total ÷ the HPA's replicas. */
    public static final String QUEUE_PER_RECEIVER_HPA = "queue_per_receiver_hpa";
    /** Prefix of a rule's value as the replay saw it (rescaled to its fleet for per-receiver rules). */
    public static final String RULE = "rule:";
    /** Prefix of a per-receiver rule's value as history recorded it, on the real fleet. */
    public static final String RECORDED_RULE = "recorded:";

    public ReplayTimeline {
        Objects.requireNonNull(grid, "grid");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    public double[] column(String name) {
        double[] c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column " + name + "; have " + columns.keySet());
        }
        return c;
    }

    public List<String> names() {
        return List.copyOf(columns.keySet());
    }
}
