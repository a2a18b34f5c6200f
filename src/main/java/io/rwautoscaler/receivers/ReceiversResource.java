package io.rwautoscaler.receivers;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/receivers}: the receiver policy's latest cycle and the hashring, read from memory. */
@Path("/api/v1/receivers")
public class ReceiversResource {

    @Inject
    ReceiverStatusHolder holder;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ReceiversView get() {
        return holder.cycle().map(c -> ReceiversView.of(c, holder.hashring()))
                .orElseThrow(() -> new WebApplicationException(
                        "the receiver policy has not been evaluated yet (first cycle after autoscaler.policy.every)", 503));
    }
}
