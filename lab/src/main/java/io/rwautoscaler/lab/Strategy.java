package io.rwautoscaler.lab;

import java.util.Arrays;
import java.util.Optional;

/** The ways to run the receivers that one lab run compares (issue 16, item 2). */
public enum Strategy {
    /** No HPA: an operator follows the runbook by hand, on the product's receiver policy, within the hour. */
    MANUAL_RUNBOOK("manual-runbook"),
    /** The scenario's HPA without its queue metric (CPU and memory only). */
    HPA_CPU_MEMORY("hpa-cpu-memory"),
    /** The scenario's HPA as written, with the product's queue metric. */
    HPA_QUEUE("hpa-queue"),
    /** The same plus the shard tuner in apply mode. */
    HPA_QUEUE_SHARD_TUNER("hpa-queue-shard-tuner"),
    /** The HPA behavior and settings the lab recommends for the scenario (found by {@link Recommender}). */
    RECOMMENDED("recommended");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<Strategy> byLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
    }

    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(Strategy::label).toList());
    }
}
