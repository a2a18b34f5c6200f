package io.rwautoscaler.core.shards;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code spec.remoteWrite[]} item as read: its position (the patch addresses it, after testing name and url are
 * still there), its optional {@code name} (prometheus-operator passes it on as the queue's {@code remote_name}), its
 * {@code url}, and the tunable part of its {@code queueConfig}.
 *
 * @param index position in {@code spec.remoteWrite}; -1 when the queue was found in series only (local mode)
 */
public record RemoteWriteEntry(int index, Optional<String> name, String url, QueueConfig config) {

    public RemoteWriteEntry {
        name = name == null ? Optional.empty() : name.filter(n -> !n.isEmpty());
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(config, "config");
    }

    @Override
    public String toString() {
        return (index < 0 ? "queue" : "remoteWrite[" + index + "]") + name.map(n -> " " + n).orElse("") + " " + url;
    }
}
