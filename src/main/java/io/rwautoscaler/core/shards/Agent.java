package io.rwautoscaler.core.shards;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Prometheus that remote-writes: a {@code PrometheusAgent} or {@code Prometheus} resource in a cluster, or (local
 * mode) a pod found in series. {@code problems} says, in words, what in the resource could not be read; the entries
 * are the ones that could.
 *
 * @param kind {@link #PROMETHEUS_AGENT}, {@link #PROMETHEUS} or {@link #LOCAL}
 * @param uid  the resource's uid (events point at it); empty in local mode
 */
public record Agent(String kind, String namespace, String name, String uid, List<RemoteWriteEntry> entries,
                    List<String> problems) {

    public static final String PROMETHEUS_AGENT = "PrometheusAgent";
    public static final String PROMETHEUS = "Prometheus";
    /** Local mode: the "agent" is a pod seen in series; nothing to patch. */
    public static final String LOCAL = "local";

    // prometheus-operator names pods <prefix><name>-<ordinal>, or <prefix><name>-shard-<n>-<ordinal> for shards > 0;
    // DaemonSet-mode agents get a random suffix. The suffix has no dash, so "a" never claims the pods of "a-b".
    private static final Pattern OPERATOR_POD_SUFFIX = Pattern.compile("(shard-\\d+-)?[a-z0-9]+");

    public Agent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        uid = Objects.requireNonNullElse(uid, "");
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    /** Whether a pod of this namespace is one of this agent's, by prometheus-operator's pod naming. */
    public boolean ownsPod(String pod) {
        String prefix = switch (kind) {
            case PROMETHEUS_AGENT -> "prom-agent-" + name + "-";
            case PROMETHEUS -> "prometheus-" + name + "-";
            default -> null;
        };
        if (prefix == null) {
            return pod.equals(name);
        }
        return pod.startsWith(prefix) && OPERATOR_POD_SUFFIX.matcher(pod.substring(prefix.length())).matches();
    }

    public boolean isLocal() {
        return LOCAL.equals(kind);
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
