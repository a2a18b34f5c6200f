package io.rwautoscaler.metrics;

import io.rwautoscaler.core.metrics.Snapshot;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The current snapshot; requests read it without locking, a refresh replaces it whole. */
@ApplicationScoped
public class SnapshotHolder {

    private final AtomicReference<Snapshot> current = new AtomicReference<>();

    public Optional<Snapshot> current() {
        return Optional.ofNullable(current.get());
    }

    void publish(Snapshot s) {
        current.set(s);
    }
}
