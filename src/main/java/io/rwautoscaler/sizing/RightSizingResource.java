package io.rwautoscaler.sizing;

import io.rwautoscaler.config.RightSizingConfig;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.model.NotYet;
import io.rwautoscaler.core.model.PromDuration;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The last right-sizing report: {@code GET /api/v1/rightsizing} (JSON) or {@code ?format=csv}. Until the first run
 * has completed, the one "not yet" of every report ({@link NotYet}): 503 with a Status that says when.
 */
@Path("/api/v1/rightsizing")
public class RightSizingResource {

    @Inject
    RightSizingHolder holder;
    @Inject
    RightSizingConfig config;

    @GET
    public Response report(@QueryParam("format") String format) {
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw LookupException.badRequest("format must be json or csv, got '" + format + "'");
        }
        RightSizingRun run = holder.last().orElseThrow(() -> LookupException.unavailable(!config.enabled()
                ? NotYet.message("right-sizing report", false, "autoscaler.rightsizing.enabled", config.initialDelay(),
                        config.every())
                : "no right-sizing report yet: the first run starts " + PromDuration.format(config.initialDelay())
                        + " after start-up and reads " + PromDuration.format(config.window()) + " of usage"
                        + holder.lastFailure().map(f -> "; the last run, at " + f.at() + ", failed: " + f.message()).orElse("")));
        RightSizingView view = RightSizingView.of(run, holder.lastFailure().orElse(null));
        if ("csv".equals(format)) {
            return Response.ok(RightSizingCsv.of(view), RightSizingCsv.MEDIA_TYPE).build();
        }
        return Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
