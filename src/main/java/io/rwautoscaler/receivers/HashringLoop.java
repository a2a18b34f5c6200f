package io.rwautoscaler.receivers;

import io.micrometer.core.instrument.Counter;

import io.rwautoscaler.core.receivers.HashringOutcome;

import io.rwautoscaler.runtime.Leadership;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;

/**
 * Every {@code autoscaler.receivers.hashring.every}: compare the hashring ConfigMap with the receive
 * StatefulSet's ready pods and write it when membership changed. Separate from the policy loop, because
 * an unready receiver in the hashring fails writes now, not at the next policy evaluation.
 */
@io.quarkus.runtime.Startup // its series exist from start-up
@ApplicationScoped
public class HashringLoop {

    private final HashringKeeper keeper;
    private final Leadership leadership;
    private final ReceiverStatusHolder holder;
    private final Event<HashringStatus> statuses;
    private final Clock clock;
    private final MeterRegistry registry;

    @Inject
    public HashringLoop(HashringKeeper keeper, Leadership leadership, ReceiverStatusHolder holder,
                        Event<HashringStatus> statuses, Clock clock, MeterRegistry registry) {
        this.keeper = keeper;
        this.leadership = leadership;
        this.holder = holder;
        this.statuses = statuses;
        this.clock = clock;
        this.registry = registry;
        // Every outcome's series exists from start-up at 0 (issue 14 item 5), in local mode too (NOT_MANAGED).
        for (HashringOutcome outcome : HashringOutcome.values()) {
            syncCounter(outcome);
        }
    }

    private Counter syncCounter(HashringOutcome outcome) {
        return registry.counter("rwa_receiver_hashring_syncs", "outcome", outcome.name());
    }

    @Scheduled(every = "${autoscaler.receivers.hashring.every:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "receiver-hashring", delayed = "${autoscaler.scheduler.first-delay:5s}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        runOnce(clock.instant());
    }

    /** One sync; tests call it directly. Never throws. */
    public synchronized HashringStatus runOnce(Instant now) {
        HashringStatus status = keeper.sync(now, leadership.isLeader());
        syncCounter(status.outcome()).increment();
        holder.publish(status);
        statuses.fire(status);
        return status;
    }
}
