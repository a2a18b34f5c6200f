package io.rwautoscaler.core.receivers;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The receive StatefulSet as the decision needs it.
 *
 * @param hpaOwned         a HorizontalPodAutoscaler targets the StatefulSet, so its replicas are never patched
 * @param samplesPerSecond the samples/s the agents send now; empty when unknown
 */
public record ReceiverFleet(int replicas, boolean hpaOwned, OptionalDouble samplesPerSecond) {

    public ReceiverFleet {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas cannot be negative: " + replicas);
        }
        samplesPerSecond = Objects.requireNonNullElse(samplesPerSecond, OptionalDouble.empty());
        // A negative or non-finite rate is a broken query, not a load.
        if (samplesPerSecond.isPresent()
                && !(Double.isFinite(samplesPerSecond.getAsDouble()) && samplesPerSecond.getAsDouble() >= 0)) {
            samplesPerSecond = OptionalDouble.empty();
        }
    }

    public static ReceiverFleet of(int replicas, boolean hpaOwned, double samplesPerSecond) {
        return new ReceiverFleet(replicas, hpaOwned, OptionalDouble.of(samplesPerSecond));
    }
}
