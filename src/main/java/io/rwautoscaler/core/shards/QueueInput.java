package io.rwautoscaler.core.shards;

import java.util.Objects;

/** Everything one cycle knows about one queue: its config as found, its figures, and its receivers' health. */
public record QueueInput(QueueId queue, QueueConfig current, QueueObservation observation, ReceiverHealth receivers) {

    public QueueInput {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(current, "current");
        observation = observation == null ? QueueObservation.unknown() : observation;
        receivers = receivers == null ? ReceiverHealth.unknown() : receivers;
    }
}
