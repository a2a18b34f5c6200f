package io.rwautoscaler.core.shards;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The tunable part of a remoteWrite entry's {@code queueConfig}. A field the entry leaves out is empty and means
 * {@link PrometheusQueueDefaults}; recommendations only fill in the fields they change, so a patch stays minimal.
 */
public record QueueConfig(OptionalInt minShards, OptionalInt maxShards, OptionalInt capacity,
                          OptionalInt maxSamplesPerSend) {

    public QueueConfig {
        minShards = positive(minShards, "minShards");
        maxShards = positive(maxShards, "maxShards");
        capacity = positive(capacity, "capacity");
        maxSamplesPerSend = positive(maxSamplesPerSend, "maxSamplesPerSend");
    }

    /** Every field set, as the runbook writes it: {@code of(10, 100, 20000, 2000)}. */
    public static QueueConfig of(int minShards, int maxShards, int capacity, int maxSamplesPerSend) {
        return new QueueConfig(OptionalInt.of(minShards), OptionalInt.of(maxShards), OptionalInt.of(capacity),
                OptionalInt.of(maxSamplesPerSend));
    }

    /** An entry without queueConfig: Prometheus runs on its defaults. */
    public static QueueConfig unset() {
        return new QueueConfig(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    public int effectiveMinShards() {
        return minShards.orElse(PrometheusQueueDefaults.MIN_SHARDS);
    }

    public int effectiveMaxShards() {
        return maxShards.orElse(PrometheusQueueDefaults.MAX_SHARDS);
    }

    public int effectiveCapacity() {
        return capacity.orElse(PrometheusQueueDefaults.CAPACITY);
    }

    public int effectiveMaxSamplesPerSend() {
        return maxSamplesPerSend.orElse(PrometheusQueueDefaults.MAX_SAMPLES_PER_SEND);
    }

    /** Same behaviour in Prometheus: unset and explicitly-default fields are equal. */
    public boolean sameEffective(QueueConfig other) {
        return effectiveMinShards() == other.effectiveMinShards()
                && effectiveMaxShards() == other.effectiveMaxShards()
                && effectiveCapacity() == other.effectiveCapacity()
                && effectiveMaxSamplesPerSend() == other.effectiveMaxSamplesPerSend();
    }

    public QueueConfig withMinShards(int value) {
        return new QueueConfig(OptionalInt.of(value), maxShards, capacity, maxSamplesPerSend);
    }

    public QueueConfig withMaxShards(int value) {
        return new QueueConfig(minShards, OptionalInt.of(value), capacity, maxSamplesPerSend);
    }

    public QueueConfig withCapacity(int value) {
        return new QueueConfig(minShards, maxShards, OptionalInt.of(value), maxSamplesPerSend);
    }

    public QueueConfig withMaxSamplesPerSend(int value) {
        return new QueueConfig(minShards, maxShards, capacity, OptionalInt.of(value));
    }

    /** The effective fields that differ, e.g. {@code "maxShards 100 → 200"}; empty when none do. */
    public String changesTo(QueueConfig next) {
        List<String> parts = new ArrayList<>(4);
        diff(parts, "minShards", effectiveMinShards(), next.effectiveMinShards());
        diff(parts, "maxShards", effectiveMaxShards(), next.effectiveMaxShards());
        diff(parts, "capacity", effectiveCapacity(), next.effectiveCapacity());
        diff(parts, "maxSamplesPerSend", effectiveMaxSamplesPerSend(), next.effectiveMaxSamplesPerSend());
        return String.join(", ", parts);
    }

    @Override
    public String toString() {
        return "minShards " + effectiveMinShards() + ", maxShards " + effectiveMaxShards()
                + ", capacity " + effectiveCapacity() + ", maxSamplesPerSend " + effectiveMaxSamplesPerSend();
    }

    private static void diff(List<String> parts, String name, int from, int to) {
        if (from != to) {
            parts.add(name + " " + from + " → " + to);
        }
    }

    private static OptionalInt positive(OptionalInt value, String name) {
        if (value == null) {
            return OptionalInt.empty();
        }
        if (value.isPresent() && value.getAsInt() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value.getAsInt());
        }
        return value;
    }
}
