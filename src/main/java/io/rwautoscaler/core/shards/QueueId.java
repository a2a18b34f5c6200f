package io.rwautoscaler.core.shards;

import java.util.Comparator;
import java.util.Objects;

/**
 * One remote-write queue: the agent resource that owns the {@code remoteWrite} entry, the pod whose metrics
 * describe it (empty when the figures are aggregated over the agent's pods), and the queue's
 * {@code remote_name}/{@code url} labels.
 */
public record QueueId(String namespace, String agent, String pod, String remoteName, String url)
        implements Comparable<QueueId> {

    private static final Comparator<QueueId> ORDER = Comparator.comparing(QueueId::namespace)
            .thenComparing(QueueId::agent)
            .thenComparing(QueueId::pod)
            .thenComparing(QueueId::remoteName)
            .thenComparing(QueueId::url);

    public QueueId {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(agent, "agent");
        pod = pod == null ? "" : pod;
        Objects.requireNonNull(remoteName, "remoteName");
        Objects.requireNonNull(url, "url");
    }

    /** A queue described at agent level (figures summed over its pods). */
    public static QueueId of(String namespace, String agent, String remoteName, String url) {
        return new QueueId(namespace, agent, "", remoteName, url);
    }

    @Override
    public int compareTo(QueueId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return namespace + "/" + agent + (pod.isEmpty() ? "" : "[" + pod + "]") + "/" + remoteName;
    }
}
