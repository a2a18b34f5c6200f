package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ReceiverHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * One cycle's figures: per queue series (one pod's queue) every {@link QueueFigure} that answered, the receivers'
 * health, and the queries that failed. {@link #observation} folds the series of one remoteWrite entry (several
 * pods of one agent) into the one {@code QueueObservation} the tuner decides on: the worst pod counts.
 *
 * @param figures  per queue series, the figures it has; figures without remote_name/url (per pod) already copied
 *                 onto each of the pod's queues
 * @param errors   figure (or receiver query) name → why its query failed
 * @param queries  how many queries this observation took
 */
public record ObservedQueues(Instant at, SortedMap<QueueSeries, Map<QueueFigure, Double>> figures,
                             ReceiverHealth receivers, Map<String, String> errors, int queries) {

    public ObservedQueues {
        figures = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(figures));
        errors = Map.copyOf(errors);
    }

    public static ObservedQueues empty(Instant at) {
        return new ObservedQueues(at, new TreeMap<>(), ReceiverHealth.unknown(), Map.of(), 0);
    }

    /** The queue series seen this cycle. */
    public Set<QueueSeries> series() {
        return figures.keySet();
    }

    /** One series' figure. */
    public OptionalDouble figure(QueueSeries series, QueueFigure figure) {
        Double v = figures.getOrDefault(series, Map.of()).get(figure);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * The queueConfig the agent runs, from its own gauges: what local mode tunes against. A gauge that is missing
     * leaves the field unset (Prometheus's default); {@link #missingConfig} says which.
     */
    public QueueConfig runningConfig(QueueSeries s) {
        return new QueueConfig(intOf(figure(s, QueueFigure.SHARDS_MIN)), intOf(figure(s, QueueFigure.SHARDS_MAX)),
                intOf(figure(s, QueueFigure.CAPACITY)), intOf(figure(s, QueueFigure.MAX_SAMPLES_PER_SEND)));
    }

    /** The config gauges a series lacks, by name; empty when all four are there. */
    public List<String> missingConfig(QueueSeries s) {
        List<String> missing = new ArrayList<>(4);
        for (QueueFigure f : List.of(QueueFigure.SHARDS_MIN, QueueFigure.SHARDS_MAX, QueueFigure.CAPACITY,
                QueueFigure.MAX_SAMPLES_PER_SEND)) {
            if (figure(s, f).isEmpty()) {
                missing.add(f.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return missing;
    }

    /**
     * The observation of one remoteWrite entry from its series. Every figure is the worst pod's (the highest queue,
     * lag, desired shards; the longest time high), except the time at 0, which is the shortest (every pod must have
     * been idle to lower the bounds) and unknown if any pod's is. The running bounds are a pod's that differ from
     * {@code config} when there is one: a pod still on old bounds means the change has not rolled out.
     */
    public QueueObservation observation(Collection<QueueSeries> series, QueueConfig config) {
        if (series.isEmpty()) {
            return QueueObservation.unknown();
        }
        return new QueueObservation(
                combine(series, QueueFigure.PENDING_SAMPLES, Math::max),
                combine(series, QueueFigure.LAG_SECONDS, Math::max),
                combine(series, QueueFigure.SHARDS, Math::max),
                combine(series, QueueFigure.SHARDS_DESIRED, Math::max),
                running(series, QueueFigure.SHARDS_MIN, config.effectiveMinShards()),
                running(series, QueueFigure.SHARDS_MAX, config.effectiveMaxShards()),
                combine(series, QueueFigure.SAMPLES_IN_RATE, Math::max),
                combine(series, QueueFigure.SAMPLES_OUT_RATE, Math::max),
                combine(series, QueueFigure.FAILED_RATE, Math::max),
                combine(series, QueueFigure.RETRIED_RATE, Math::max),
                combine(series, QueueFigure.SEND_LATENCY_SECONDS, Math::max),
                duration(combine(series, QueueFigure.QUEUE_ABOVE_THRESHOLD_FOR_SECONDS, Math::max)),
                duration(allOrNothing(series, QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS)),
                duration(combine(series, QueueFigure.SHARDS_AT_MAX_WITH_DESIRED_ABOVE_FOR_SECONDS, Math::max)),
                combine(series, QueueFigure.SHARDS_DESIRED_P99, Math::max));
    }

    private OptionalDouble combine(Collection<QueueSeries> series, QueueFigure f, BinaryOperator<Double> op) {
        Double acc = null;
        for (QueueSeries s : series) {
            Double v = figures.getOrDefault(s, Map.of()).get(f);
            if (v != null && Double.isFinite(v)) {
                acc = acc == null ? v : op.apply(acc, v);
            }
        }
        return acc == null ? OptionalDouble.empty() : OptionalDouble.of(acc);
    }

    private OptionalDouble allOrNothing(Collection<QueueSeries> series, QueueFigure f) {
        double min = Double.POSITIVE_INFINITY;
        for (QueueSeries s : series) {
            Double v = figures.getOrDefault(s, Map.of()).get(f);
            if (v == null || !Double.isFinite(v)) {
                return OptionalDouble.empty();
            }
            min = Math.min(min, v);
        }
        return OptionalDouble.of(min);
    }

    private OptionalInt running(Collection<QueueSeries> series, QueueFigure f, int configured) {
        OptionalInt any = OptionalInt.empty();
        for (QueueSeries s : series) {
            OptionalInt v = intOf(figure(s, f));
            if (v.isPresent() && v.getAsInt() != configured) {
                return v;
            }
            any = any.isPresent() ? any : v;
        }
        return any;
    }

    private static Optional<Duration> duration(OptionalDouble seconds) {
        if (seconds.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.round(Math.max(0.0, seconds.getAsDouble()) * 1000.0)));
    }

    private static OptionalInt intOf(OptionalDouble v) {
        if (v.isEmpty() || !Double.isFinite(v.getAsDouble()) || v.getAsDouble() < 1) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.round(v.getAsDouble())));
    }

    /** For building {@link #figures} in order. */
    static Map<QueueFigure, Double> newFigureMap() {
        return new EnumMap<>(QueueFigure.class);
    }
}
