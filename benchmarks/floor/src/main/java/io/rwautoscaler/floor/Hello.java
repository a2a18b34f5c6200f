package io.rwautoscaler.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The one endpoint of the empty application whose start-up is the framework's floor. */
@Path("/hello")
public class Hello {
    @GET
    public String hello() {
        return "ok";
    }
}
