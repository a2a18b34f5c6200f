package io.rwautoscaler.receivers;

import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.prometheus.Prometheus;
import io.rwautoscaler.prometheus.PrometheusException;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The agent queues whose endpoint is failing at the cycle's instant ({@link RunbookRules#FAILING_QUEUES}): the
 * default agent-queue rules leave their backlog out, and {@code /api/v1/receivers} names them instead.
 *
 * @param error why they are unknown (Prometheus failed); empty list then
 */
public record FailingQueues(List<Queue> queues, Optional<String> error) {

    /**
     * One queue; absent labels are empty strings.
     *
     * @param failingShare share of samples tried that were retried or dropped; empty when none were tried
     */
    public record Queue(String namespace, String pod, String instance, String remoteName, String url,
                        OptionalDouble failingShare) {
    }

    public static final FailingQueues NONE = new FailingQueues(List.of(), Optional.empty());

    public FailingQueues {
        queues = List.copyOf(queues);
    }

    public static FailingQueues observe(Prometheus prometheus, Instant now) {
        List<Sample> vector;
        try {
            vector = prometheus.query(RunbookRules.FAILING_QUEUES, now).vector();
        } catch (PrometheusException e) {
            return new FailingQueues(List.of(), Optional.of(e.reason() + ": " + e.getMessage()));
        }
        return new FailingQueues(vector.stream()
                .map(s -> new Queue(label(s, "namespace"), label(s, "pod"), label(s, "instance"), label(s, "remote_name"),
                        label(s, "url"), Double.isFinite(s.value()) ? OptionalDouble.of(s.value()) : OptionalDouble.empty()))
                .sorted(Comparator.comparing(Queue::namespace).thenComparing(Queue::pod).thenComparing(Queue::instance)
                        .thenComparing(Queue::remoteName).thenComparing(Queue::url))
                .toList(), Optional.empty());
    }

    private static String label(Sample s, String name) {
        String v = s.label(name);
        return v == null ? "" : v;
    }
}
