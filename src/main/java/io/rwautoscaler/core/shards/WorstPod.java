package io.rwautoscaler.core.shards;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.BinaryOperator;

/**
 * The decision "the worst pod counts": one remoteWrite entry is sent by several pods of one agent, each with its
 * own queue figures; the tuner decides on one {@link QueueObservation}. Every figure is the worst pod's (the highest
 * queue, lag, desired shards; the longest time high), except the time at 0, which is the shortest (every pod must
 * have been idle to lower the bounds) and unknown if any pod's is. The running bounds are a pod's that differ from
 * the configured ones when there is one: a pod still on old bounds means the change has not rolled out.
 * Non-finite figures count as missing.
 */
public final class WorstPod {

    private WorstPod() {
    }

    /** One observation from the figures of each pod of the entry; unknown without pods. */
    public static QueueObservation of(List<Map<QueueFigure, Double>> pods, QueueConfig config) {
        if (pods.isEmpty()) {
            return QueueObservation.unknown();
        }
        return new QueueObservation(
                combine(pods, QueueFigure.PENDING_SAMPLES, Math::max),
                combine(pods, QueueFigure.LAG_SECONDS, Math::max),
                combine(pods, QueueFigure.SHARDS, Math::max),
                combine(pods, QueueFigure.SHARDS_DESIRED, Math::max),
                running(pods, QueueFigure.SHARDS_MIN, config.effectiveMinShards()),
                running(pods, QueueFigure.SHARDS_MAX, config.effectiveMaxShards()),
                combine(pods, QueueFigure.SAMPLES_IN_RATE, Math::max),
                combine(pods, QueueFigure.SAMPLES_OUT_RATE, Math::max),
                combine(pods, QueueFigure.FAILED_RATE, Math::max),
                combine(pods, QueueFigure.RETRIED_RATE, Math::max),
                combine(pods, QueueFigure.SEND_LATENCY_SECONDS, Math::max),
                duration(combine(pods, QueueFigure.QUEUE_ABOVE_THRESHOLD_FOR_SECONDS, Math::max)),
                duration(allOrNothing(pods, QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS)),
                duration(combine(pods, QueueFigure.SHARDS_AT_MAX_WITH_DESIRED_ABOVE_FOR_SECONDS, Math::max)),
                combine(pods, QueueFigure.SHARDS_DESIRED_P99, Math::max));
    }

    /** A config gauge's value as a bound: unset when missing, not finite or below 1 (Prometheus' default applies). */
    public static OptionalInt bound(OptionalDouble v) {
        if (v.isEmpty() || !Double.isFinite(v.getAsDouble()) || v.getAsDouble() < 1) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.round(v.getAsDouble())));
    }

    private static OptionalDouble combine(List<Map<QueueFigure, Double>> pods, QueueFigure f, BinaryOperator<Double> op) {
        Double acc = null;
        for (Map<QueueFigure, Double> pod : pods) {
            Double v = pod.get(f);
            if (v != null && Double.isFinite(v)) {
                acc = acc == null ? v : op.apply(acc, v);
            }
        }
        return acc == null ? OptionalDouble.empty() : OptionalDouble.of(acc);
    }

    private static OptionalDouble allOrNothing(List<Map<QueueFigure, Double>> pods, QueueFigure f) {
        double min = Double.POSITIVE_INFINITY;
        for (Map<QueueFigure, Double> pod : pods) {
            Double v = pod.get(f);
            if (v == null || !Double.isFinite(v)) {
                return OptionalDouble.empty();
            }
            min = Math.min(min, v);
        }
        return OptionalDouble.of(min);
    }

    private static OptionalInt running(List<Map<QueueFigure, Double>> pods, QueueFigure f, int configured) {
        OptionalInt any = OptionalInt.empty();
        for (Map<QueueFigure, Double> pod : pods) {
            Double raw = pod.get(f);
            OptionalInt v = bound(raw == null ? OptionalDouble.empty() : OptionalDouble.of(raw));
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
}
