package io.rwautoscaler.core.shards;

import java.util.Comparator;
import java.util.Objects;

/**
 * The labels that tell one queue's series apart: the pod that exports them and the queue's {@code remote_name} and
 * {@code url}. A figure that belongs to the pod rather than a queue (samples read from the WAL in Prometheus 2.x)
 * has empty {@code remoteName} and {@code url}.
 */
public record QueueSeries(String namespace, String pod, String remoteName, String url) implements Comparable<QueueSeries> {

    private static final Comparator<QueueSeries> ORDER = Comparator.comparing(QueueSeries::namespace)
            .thenComparing(QueueSeries::pod)
            .thenComparing(QueueSeries::remoteName)
            .thenComparing(QueueSeries::url);

    public QueueSeries {
        namespace = Objects.requireNonNullElse(namespace, "");
        pod = Objects.requireNonNullElse(pod, "");
        remoteName = Objects.requireNonNullElse(remoteName, "");
        url = Objects.requireNonNullElse(url, "");
    }

    @Override
    public int compareTo(QueueSeries other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace + "/" + pod + "/" + remoteName + " " + url;
    }
}
