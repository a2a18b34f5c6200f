package io.rwautoscaler.sizing;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The last completed right-sizing run, kept until the next one completes; and the last failure since. */
@ApplicationScoped
public class RightSizingHolder {

    /** A run that produced no report, and why. */
    public record Failure(Instant at, String message) {
    }

    private final AtomicReference<RightSizingRun> last = new AtomicReference<>();
    private final AtomicReference<Failure> failure = new AtomicReference<>();

    public Optional<RightSizingRun> last() {
        return Optional.ofNullable(last.get());
    }

    /** The last failed run, if it came after the last completed one. */
    public Optional<Failure> lastFailure() {
        return Optional.ofNullable(failure.get());
    }

    void publish(RightSizingRun run) {
        last.set(run);
        failure.set(null);
    }

    void failed(Failure f) {
        failure.set(f);
    }
}
