package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueFigure;

import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.WorstPod;
import io.rwautoscaler.core.shards.ReceiverHealth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One cycle's figures: per queue series (one pod's queue) every {@link QueueFigure} that answered, the receivers'
 * health, and the queries that failed. {@link #observation} folds the series of one remoteWrite entry (several
 * pods of one agent) into the one {@code QueueObservation} the tuner decides on, by the pure {@link WorstPod}.
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

    /** The observation of one remoteWrite entry from its series: the pure {@link WorstPod} rule over their figures. */
    public QueueObservation observation(Collection<QueueSeries> series, QueueConfig config) {
        return WorstPod.of(series.stream().map(s -> figures.getOrDefault(s, Map.of())).toList(), config);
    }

    private static OptionalInt intOf(OptionalDouble v) {
        return WorstPod.bound(v);
    }

    /** For building {@link #figures} in order. */
    static Map<QueueFigure, Double> newFigureMap() {
        return new EnumMap<>(QueueFigure.class);
    }
}
