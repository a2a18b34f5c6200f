package io.rwautoscaler.core.shards;

import java.util.OptionalDouble;

/**
 * The receivers' side of the queue (Thanos Receive behind the queue's url), each figure windowed by the observer
 * and each optional: a receiver without metrics is not evidence of health nor of trouble.
 *
 * @param errors5xxPerSecond    remote-write requests answered 5xx, per second
 * @param throttled429PerSecond remote-write requests answered 429, per second
 * @param p99LatencySeconds     p99 of the receivers' remote-write request duration
 * @param cpuUtilization        receiver CPU used / requested, as a fraction (0.85 = 85%)
 */
public record ReceiverHealth(OptionalDouble errors5xxPerSecond, OptionalDouble throttled429PerSecond,
                             OptionalDouble p99LatencySeconds, OptionalDouble cpuUtilization) {

    public ReceiverHealth {
        errors5xxPerSecond = orEmpty(errors5xxPerSecond);
        throttled429PerSecond = orEmpty(throttled429PerSecond);
        p99LatencySeconds = orEmpty(p99LatencySeconds);
        cpuUtilization = orEmpty(cpuUtilization);
    }

    public static ReceiverHealth unknown() {
        return new ReceiverHealth(null, null, null, null);
    }

    private static OptionalDouble orEmpty(OptionalDouble value) {
        return value == null || value.isEmpty() || !Double.isFinite(value.getAsDouble()) ? OptionalDouble.empty()
                : value;
    }
}
