package io.rwautoscaler.core.shards;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A queue's figures for tests, starting from a quiet, healthy queue under the runbook's config: 50 shards
 * (desired 48) running, queue small, lag 5 s, no window held, 7-day p99 of desired 60.
 */
final class ObservationBuilder {

    private OptionalDouble pending = OptionalDouble.of(100);
    private OptionalDouble lag = OptionalDouble.of(5);
    private OptionalDouble shards = OptionalDouble.of(50);
    private OptionalDouble desired = OptionalDouble.of(48);
    private OptionalInt runningMin = OptionalInt.empty();
    private OptionalInt runningMax = OptionalInt.empty();
    private OptionalDouble in = OptionalDouble.of(100_000);
    private OptionalDouble out = OptionalDouble.of(100_000);
    private OptionalDouble failed = OptionalDouble.of(0);
    private OptionalDouble retried = OptionalDouble.of(0);
    private OptionalDouble latency = OptionalDouble.of(0.1);
    private Optional<Duration> above = Optional.of(Duration.ZERO);
    private Optional<Duration> zero = Optional.of(Duration.ZERO);
    private Optional<Duration> atMax = Optional.of(Duration.ZERO);
    private OptionalDouble p99 = OptionalDouble.of(60);

    static ObservationBuilder quiet() {
        return new ObservationBuilder();
    }

    /** Shards pinned at {@code max} with desired above it for {@code heldFor}: the "raise" picture. */
    static ObservationBuilder atMax(int max, double desired, Duration heldFor) {
        return quiet().shards(max).desired(desired).atMaxFor(heldFor).pending(50_000).queueAboveFor(heldFor);
    }

    /** The queue empty for {@code heldFor}: the "lower" picture. */
    static ObservationBuilder idle(double shards, Duration heldFor) {
        return quiet().shards(shards).desired(shards).pending(0).lag(1).queueAtZeroFor(heldFor);
    }

    ObservationBuilder pending(double v) {
        pending = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder lag(double v) {
        lag = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder lagUnknown() {
        lag = OptionalDouble.empty();
        return this;
    }

    ObservationBuilder shards(double v) {
        shards = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder desired(double v) {
        desired = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder running(int min, int max) {
        runningMin = OptionalInt.of(min);
        runningMax = OptionalInt.of(max);
        return this;
    }

    ObservationBuilder samplesOut(double v) {
        out = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder retried(double v) {
        retried = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder failed(double v) {
        failed = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder sendLatency(double seconds) {
        latency = OptionalDouble.of(seconds);
        return this;
    }

    ObservationBuilder sendLatencyUnknown() {
        latency = OptionalDouble.empty();
        return this;
    }

    ObservationBuilder queueAboveFor(Duration d) {
        above = Optional.ofNullable(d);
        return this;
    }

    ObservationBuilder queueAtZeroFor(Duration d) {
        zero = Optional.ofNullable(d);
        return this;
    }

    ObservationBuilder atMaxFor(Duration d) {
        atMax = Optional.ofNullable(d);
        return this;
    }

    ObservationBuilder p99(double v) {
        p99 = OptionalDouble.of(v);
        return this;
    }

    ObservationBuilder p99Unknown() {
        p99 = OptionalDouble.empty();
        return this;
    }

    QueueObservation build() {
        return new QueueObservation(pending, lag, shards, desired, runningMin, runningMax, in, out, failed, retried,
                latency, above, zero, atMax, p99);
    }
}
