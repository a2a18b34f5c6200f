package io.rwautoscaler.testsupport;

import io.rwautoscaler.core.shards.QueueFigure;

import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.shards.QueueQueries;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Puts one queue's figures into a {@link CannedPrometheusServer}, as the answers to the shard tuner's own queries. */
public final class QueueFigures {

    private final Map<QueueFigure, Double> values = new EnumMap<>(QueueFigure.class);

    private QueueFigures() {
    }

    /**
     * A queue that needs nothing: bounds as given, a small queue that is never at 0 nor high, shards within the
     * bounds, lag 5 s, a 7-day p99 of desired that fits.
     */
    public static QueueFigures steady(int minShards, int maxShards, int capacity, int maxSamplesPerSend) {
        QueueFigures f = new QueueFigures();
        int shards = Math.max(minShards, Math.min(maxShards, 4));
        return f.set(QueueFigure.PENDING_SAMPLES, 300).set(QueueFigure.LAG_SECONDS, 5)
                .set(QueueFigure.SHARDS, shards).set(QueueFigure.SHARDS_DESIRED, shards)
                .set(QueueFigure.SHARDS_MIN, minShards).set(QueueFigure.SHARDS_MAX, maxShards)
                .set(QueueFigure.CAPACITY, capacity).set(QueueFigure.MAX_SAMPLES_PER_SEND, maxSamplesPerSend)
                .set(QueueFigure.SAMPLES_IN_RATE, 8000).set(QueueFigure.SAMPLES_OUT_RATE, 8000)
                .set(QueueFigure.FAILED_RATE, 0).set(QueueFigure.RETRIED_RATE, 0)
                .set(QueueFigure.SEND_LATENCY_SECONDS, 0.05)
                .set(QueueFigure.QUEUE_ABOVE_THRESHOLD_FOR_SECONDS, 0).set(QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS, 0)
                .set(QueueFigure.SHARDS_AT_MAX_WITH_DESIRED_ABOVE_FOR_SECONDS, 0)
                .set(QueueFigure.SHARDS_DESIRED_P99, shards);
    }

    /** Shards pinned at {@code maxShards} with desired well above, for an hour; everything else healthy. */
    public static QueueFigures atMax(int minShards, int maxShards, int capacity, int maxSamplesPerSend) {
        return steady(minShards, maxShards, capacity, maxSamplesPerSend)
                .set(QueueFigure.SHARDS, maxShards).set(QueueFigure.SHARDS_DESIRED, maxShards * 2.0)
                .set(QueueFigure.SHARDS_AT_MAX_WITH_DESIRED_ABOVE_FOR_SECONDS, 3600)
                .set(QueueFigure.SHARDS_DESIRED_P99, maxShards * 2.0);
    }

    public QueueFigures set(QueueFigure figure, double value) {
        values.put(figure, value);
        return this;
    }

    public QueueFigures without(QueueFigure figure) {
        values.remove(figure);
        return this;
    }

    /** Writes the figures as this series' answers; the pod-wide ones without remote_name/url, as Prometheus 2.x. */
    public void into(CannedPrometheusServer fake, QueueQueries queries, QueueSeries series) {
        values.forEach((figure, value) -> fake.answer(queries.of(figure), labels(series,
                figure == QueueFigure.SAMPLES_IN_RATE), value));
    }

    public static Map<String, String> labels(QueueSeries s, boolean podWide) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("namespace", s.namespace());
        labels.put("pod", s.pod());
        if (!podWide) {
            labels.put("remote_name", s.remoteName());
            labels.put("url", s.url());
        }
        return labels;
    }
}
