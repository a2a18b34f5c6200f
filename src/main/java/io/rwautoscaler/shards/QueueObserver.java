package io.rwautoscaler.shards;

import io.rwautoscaler.prometheus.Prometheus;
import io.rwautoscaler.prometheus.PrometheusException;
import io.rwautoscaler.prometheus.QueryResult;

import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ReceiverHealth;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Reads every queue's figures with one query per {@link QueueFigure}, plus one per receiver-health query: the number
 * of queries does not depend on the number of agents or queues. A failed query leaves its figure unknown for every
 * queue (the tuner then refuses what it cannot judge); only when every queue query fails is the cycle a failure.
 */
public class QueueObserver {

    private static final Logger LOG = Logger.getLogger(QueueObserver.class);

    /** PromQL for the receivers' health; empty ones are not asked. */
    public record ReceiverQueries(Optional<String> errors5xx, Optional<String> throttled429,
                                  Optional<String> p99Latency, Optional<String> cpuUtilization) {
        public static final ReceiverQueries NONE = new ReceiverQueries(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        public ReceiverQueries {
            errors5xx = blankIsEmpty(errors5xx);
            throttled429 = blankIsEmpty(throttled429);
            p99Latency = blankIsEmpty(p99Latency);
            cpuUtilization = blankIsEmpty(cpuUtilization);
        }

        private static Optional<String> blankIsEmpty(Optional<String> q) {
            return q == null ? Optional.empty() : q.map(String::trim).filter(s -> !s.isEmpty() && !s.equals("none"));
        }
    }

    private final Prometheus prometheus;
    private final QueueQueries queries;
    private final ReceiverQueries receiverQueries;
    private final String namespaceLabel;
    private final String podLabel;

    public QueueObserver(Prometheus prometheus, QueueQueries queries, ReceiverQueries receiverQueries,
                         String namespaceLabel, String podLabel) {
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.receiverQueries = Objects.requireNonNull(receiverQueries, "receiverQueries");
        this.namespaceLabel = namespaceLabel;
        this.podLabel = podLabel;
    }

    public QueueQueries queries() {
        return queries;
    }

    /**
     * @throws PrometheusException when no queue query got an answer (Prometheus unreachable): a cycle on no facts
     *                             would only replace the last good report with unknowns
     */
    public ObservedQueues observe(Instant now) {
        Map<QueueSeries, Map<QueueFigure, Double>> perSeries = new TreeMap<>();
        Map<QueueSeries, Map<QueueFigure, Double>> perPod = new HashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        int count = 0;
        PrometheusException first = null;
        int answered = 0;
        for (Map.Entry<QueueFigure, String> q : queries.all().entrySet()) {
            count++;
            QueryResult result;
            try {
                result = prometheus.query(q.getValue(), now);
            } catch (PrometheusException e) {
                first = first == null ? e : first;
                errors.put(q.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
                LOG.debugf("shard tuner query %s failed: %s", q.getKey(), e.getMessage());
                continue;
            }
            answered++;
            for (Sample s : result.vector()) {
                if (!s.isFinite()) {
                    continue;
                }
                QueueSeries key = new QueueSeries(s.label(namespaceLabel), s.label(podLabel), s.label("remote_name"),
                        s.label("url"));
                boolean podWide = key.url().isEmpty();
                (podWide ? perPod : perSeries).computeIfAbsent(key, k -> ObservedQueues.newFigureMap())
                        .merge(q.getKey(), s.value(), Math::max);
            }
        }
        if (answered == 0 && first != null) {
            throw first;
        }
        // Per-pod figures (no url): onto the pod's queues with the same remote_name, or all of them without one.
        for (Map.Entry<QueueSeries, Map<QueueFigure, Double>> e : perSeries.entrySet()) {
            QueueSeries s = e.getKey();
            for (QueueSeries podKey : List.of(new QueueSeries(s.namespace(), s.pod(), s.remoteName(), ""),
                    new QueueSeries(s.namespace(), s.pod(), "", ""))) {
                Map<QueueFigure, Double> pod = perPod.get(podKey);
                if (pod != null) {
                    pod.forEach(e.getValue()::putIfAbsent);
                }
            }
        }

        List<OptionalDouble> health = new ArrayList<>(4);
        for (Map.Entry<String, Optional<String>> q : List.of(
                Map.entry("receiver_5xx", receiverQueries.errors5xx()),
                Map.entry("receiver_429", receiverQueries.throttled429()),
                Map.entry("receiver_p99_latency", receiverQueries.p99Latency()),
                Map.entry("receiver_cpu", receiverQueries.cpuUtilization()))) {
            if (q.getValue().isEmpty()) {
                health.add(OptionalDouble.empty());
                continue;
            }
            count++;
            try {
                health.add(prometheus.query(q.getValue().get(), now).vector().stream()
                        .filter(Sample::isFinite).mapToDouble(Sample::value).max());
            } catch (PrometheusException e) {
                errors.put(q.getKey(), e.getMessage());
                health.add(OptionalDouble.empty());
            }
        }
        ReceiverHealth receivers = new ReceiverHealth(health.get(0), health.get(1), health.get(2), health.get(3));
        return new ObservedQueues(now, new TreeMap<>(perSeries), receivers, errors, count);
    }
}
