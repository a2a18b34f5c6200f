package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.Sample;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A rule's last good answer: the finite series Prometheus returned, and when we fetched them.
 *
 * @param failingQueues for a rule spread over the receivers, the agent queues whose endpoint was failing at the
 *                      fetch ({@link io.rwautoscaler.core.model.EndpointFailure}): left out of the receivers' share
 */
public record MetricData(MetricRule rule, List<Sample> samples, Instant fetchedAt, Set<QueueKey> failingQueues) {

    /**
     * One agent queue, by {@link io.rwautoscaler.core.model.EndpointFailure#QUEUE_LABELS}; absent labels are empty
     * strings.
     */
    public record QueueKey(String namespace, String pod, String instance, String remoteName, String url) {
        public static QueueKey of(Sample s) {
            return new QueueKey(orEmpty(s.label("namespace")), orEmpty(s.label("pod")), orEmpty(s.label("instance")),
                    orEmpty(s.label("remote_name")), orEmpty(s.label("url")));
        }

        private static String orEmpty(String v) {
            return v == null ? "" : v;
        }
    }

    public MetricData {
        samples = List.copyOf(samples);
        failingQueues = failingQueues == null ? Set.of() : Set.copyOf(failingQueues);
    }

    public MetricData(MetricRule rule, List<Sample> samples, Instant fetchedAt) {
        this(rule, samples, fetchedAt, Set.of());
    }

    /** Whether {@code s} is a queue whose endpoint was failing (never for a series without queue labels). */
    public boolean failing(Sample s) {
        return !failingQueues.isEmpty() && failingQueues.contains(QueueKey.of(s));
    }
}
