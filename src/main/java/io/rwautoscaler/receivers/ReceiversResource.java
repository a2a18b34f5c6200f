package io.rwautoscaler.receivers;

import io.rwautoscaler.config.ReceiverPolicyConfig;
import io.rwautoscaler.config.SchedulerConfig;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.model.NotYet;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/receivers}: the receiver policy's latest cycle and the hashring, read from memory; before the
 * first cycle, the one "not yet" of every report ({@link NotYet}).
 */
@Path("/api/v1/receivers")
public class ReceiversResource {

    @Inject
    ReceiverStatusHolder holder;
    @Inject
    ReceiverPolicyConfig config;
    @Inject
    SchedulerConfig scheduler;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ReceiversView get() {
        return holder.cycle().map(c -> ReceiversView.of(c, holder.hashring()))
                .orElseThrow(() -> LookupException.unavailable(NotYet.message("receiver policy report", config.enabled(),
                        "autoscaler.policy.enabled", scheduler.firstDelay(), config.every())));
    }
}
