package io.rwautoscaler.receivers;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The latest receiver policy cycle and hashring sync; the report reads them without locking. */
@ApplicationScoped
public class ReceiverStatusHolder {

    private final AtomicReference<ReceiverCycle> cycle = new AtomicReference<>();
    private final AtomicReference<HashringStatus> hashring = new AtomicReference<>();

    public Optional<ReceiverCycle> cycle() {
        return Optional.ofNullable(cycle.get());
    }

    public Optional<HashringStatus> hashring() {
        return Optional.ofNullable(hashring.get());
    }

    void publish(ReceiverCycle c) {
        cycle.set(c);
    }

    void publish(HashringStatus s) {
        hashring.set(s);
    }
}
