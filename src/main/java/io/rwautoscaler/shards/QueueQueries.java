package io.rwautoscaler.shards;

import io.rwautoscaler.core.model.PromDuration;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PromQL behind each {@link QueueFigure}: one query per figure for all agents and queues at once, each reduced
 * to the labels that tell queues apart ({@code namespace}, {@code pod}, {@code remote_name}, {@code url}). Metric
 * names changed across Prometheus versions, so each query falls back with {@code or}.
 *
 * <p>"How long has X held, up to now" is one subquery: now minus the last step at which X did not hold, or, when X
 * held at every step of the window, the span of data in it. The window is one step longer than the rule's, so a
 * condition that held throughout reads as at least the rule's window despite step alignment.
 */
public final class QueueQueries {

    /** What the queries need to know. */
    public record Settings(String namespaceLabel, String podLabel, String matchers, long queueThreshold,
                           Duration raiseWindow, Duration scaleInWindow, Duration windowResolution,
                           Duration rateWindow, Duration historyWindow, Duration historyResolution,
                           Duration minHistory) {
        public Settings {
            Objects.requireNonNull(namespaceLabel, "namespaceLabel");
            Objects.requireNonNull(podLabel, "podLabel");
            matchers = matchers == null ? "" : matchers.trim();
        }
    }

    private final Map<QueueFigure, String> queries;

    public QueueQueries(Settings s) {
        String by = s.namespaceLabel() + ", " + s.podLabel() + ", remote_name, url";
        Map<QueueFigure, String> q = new EnumMap<>(QueueFigure.class);
        Metrics m = new Metrics(by, s.matchers());

        String pending = m.max("prometheus_remote_storage_samples_pending") + " or "
                + m.max("prometheus_remote_storage_pending_samples");
        q.put(QueueFigure.PENDING_SAMPLES, pending);

        // 3.x: per-queue newest sample read from the WAL; 2.x: the pod-wide newest sample. Before a first successful
        // send there is no sent timestamp (2.x) or it is 0 (3.x): everything since the process started is unsent, so
        // the lag is at least (newest - start), never a false 0.
        String queueNewest = m.sel("prometheus_remote_storage_queue_highest_timestamp_seconds");
        String podNewest = m.sel("prometheus_remote_storage_highest_timestamp_in_seconds");
        String sent = m.sel("prometheus_remote_storage_queue_highest_sent_timestamp_seconds");
        String started = m.sel("process_start_time_seconds");
        q.put(QueueFigure.LAG_SECONDS,
                "max by (" + by + ") (" + queueNewest + " - " + sent + " and " + sent + " > 0)"
                + " or max by (" + by + ") (" + queueNewest + " - ignoring(remote_name, url) group_left() " + started
                + ")"
                + " or max by (" + by + ") (" + podNewest + " - ignoring(remote_name, url) group_right() " + sent + ")"
                + " or max by (" + by + ") (" + podNewest + " - ignoring(remote_name, url) group_right() ("
                + m.sel("prometheus_remote_storage_shards") + " * 0 + ignoring(remote_name, url) group_left() "
                + started + "))");

        String shards = m.max("prometheus_remote_storage_shards");
        String desired = m.max("prometheus_remote_storage_shards_desired");
        String shardsMax = m.max("prometheus_remote_storage_shards_max");
        q.put(QueueFigure.SHARDS, shards);
        q.put(QueueFigure.SHARDS_DESIRED, desired);
        q.put(QueueFigure.SHARDS_MIN, m.max("prometheus_remote_storage_shards_min"));
        q.put(QueueFigure.SHARDS_MAX, shardsMax);
        q.put(QueueFigure.CAPACITY, m.max("prometheus_remote_storage_shard_capacity"));
        q.put(QueueFigure.MAX_SAMPLES_PER_SEND, m.max("prometheus_remote_storage_max_samples_per_send"));

        String w = PromDuration.format(s.rateWindow());
        // 2.x: per pod (no remote_name/url). 3.x dropped it for the WAL watcher's per-consumer count; "on" keeps the
        // 2.x figure where both exist (2.x's watcher counts records, not samples).
        q.put(QueueFigure.SAMPLES_IN_RATE, m.maxRate("prometheus_remote_storage_samples_in_total", w)
                + " or on (" + s.namespaceLabel() + ", " + s.podLabel() + ") max by (" + by + ") (label_replace(rate("
                + m.sel("prometheus_wal_watcher_records_read_total", "type=\"samples\"") + "[" + w
                + "]), \"remote_name\", \"$1\", \"consumer\", \"(.*)\"))");
        q.put(QueueFigure.SAMPLES_OUT_RATE, m.maxRate("prometheus_remote_storage_samples_total", w) + " or "
                + m.maxRate("prometheus_remote_storage_succeeded_samples_total", w));
        q.put(QueueFigure.FAILED_RATE, m.maxRate("prometheus_remote_storage_samples_failed_total", w) + " or "
                + m.maxRate("prometheus_remote_storage_failed_samples_total", w));
        q.put(QueueFigure.RETRIED_RATE, m.maxRate("prometheus_remote_storage_samples_retried_total", w) + " or "
                + m.maxRate("prometheus_remote_storage_retried_samples_total", w));
        q.put(QueueFigure.SEND_LATENCY_SECONDS, "max by (" + by + ") (rate("
                + m.sel("prometheus_remote_storage_sent_batch_duration_seconds_sum") + "[" + w + "]) / rate("
                + m.sel("prometheus_remote_storage_sent_batch_duration_seconds_count") + "[" + w + "]))");

        String res = PromDuration.format(s.windowResolution());
        q.put(QueueFigure.QUEUE_ABOVE_THRESHOLD_FOR_SECONDS, heldFor(
                "(" + pending + ") <= " + s.queueThreshold(), pending, s.raiseWindow().plus(s.windowResolution()), res));
        q.put(QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS, heldFor(
                "(" + pending + ") > 0", pending, s.scaleInWindow().plus(s.windowResolution()), res));
        String notAtMax = shardsMax + " unless ((" + shards + ") >= (" + shardsMax + ") and (" + desired + ") > ("
                + shardsMax + "))";
        q.put(QueueFigure.SHARDS_AT_MAX_WITH_DESIRED_ABOVE_FOR_SECONDS, heldFor(notAtMax, shardsMax,
                s.raiseWindow().plus(s.windowResolution()), res));

        String history = "(" + desired + ")[" + PromDuration.format(s.historyWindow()) + ":"
                + PromDuration.format(s.historyResolution()) + "]";
        long minPoints = Math.max(1, s.minHistory().toMillis() / Math.max(1, s.historyResolution().toMillis()));
        q.put(QueueFigure.SHARDS_DESIRED_P99, "quantile_over_time(0.99, " + history + ") and count_over_time("
                + history + ") >= " + minPoints);
        this.queries = Collections.unmodifiableMap(q);
    }

    /** Every figure's query, in {@link QueueFigure} order. */
    public Map<QueueFigure, String> all() {
        return queries;
    }

    public String of(QueueFigure figure) {
        return queries.get(figure);
    }

    /**
     * Seconds the condition has held up to now, where {@code notHolding} is the series at the steps it did not
     * hold and {@code present} the series whenever there is data.
     */
    private static String heldFor(String notHolding, String present, Duration window, String res) {
        String range = "[" + PromDuration.format(window) + ":" + res + "]";
        return "(time() - max_over_time(((" + notHolding + ") * 0 + time())" + range + "))"
                + " or (time() - min_over_time(((" + present + ") * 0 + time())" + range + "))";
    }

    /** Selectors with the configured extra matchers, and the per-queue reduction. */
    private record Metrics(String by, String matchers) {
        String sel(String metric, String... more) {
            Map<String, Boolean> parts = new LinkedHashMap<>();
            for (String x : more) {
                parts.put(x, true);
            }
            if (!matchers.isEmpty()) {
                parts.put(matchers, true);
            }
            return metric + "{" + String.join(", ", parts.keySet()) + "}";
        }

        String max(String metric) {
            return "max by (" + by + ") (" + sel(metric) + ")";
        }

        String maxRate(String metric, String window) {
            return "max by (" + by + ") (rate(" + sel(metric) + "[" + window + "]))";
        }
    }
}
