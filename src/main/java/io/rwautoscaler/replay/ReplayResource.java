package io.rwautoscaler.replay;

import io.rwautoscaler.config.ReplayConfig;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.model.PromDuration;
import io.rwautoscaler.core.replay.ReplayWindow;
import io.rwautoscaler.prometheus.PrometheusException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code GET /api/v1/replay?from=&to=&step=}: what the receiver policy and the shard tuner would have done over a
 * stretch of history, as JSON, {@code &format=csv} (one row per decision) or {@code &format=svg} (a timeline chart).
 * Times as Prometheus' HTTP API takes them (RFC 3339 or Unix seconds), the step as a duration ({@code 5m}) or
 * seconds. One replay at a time (429 while one runs), with a time limit (503 when it is reached).
 */
@Path("/api/v1/replay")
public class ReplayResource {

    @Inject
    ReplayService service;
    @Inject
    ReplayConfig config;
    @Inject
    Clock clock;

    @GET
    public Response replay(@QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("step") String step, @QueryParam("format") String format) {
        if (!config.enabled()) {
            throw LookupException.notFound("replays are turned off (autoscaler.replay.enabled=false)");
        }
        if (format != null && !format.equals("json") && !format.equals("csv") && !format.equals("svg")) {
            throw LookupException.badRequest("format must be json, csv or svg, got '" + format + "'");
        }
        Instant end = time("to", to).orElseGet(clock::instant);
        Instant start = time("from", from).orElse(end.minus(config.defaultWindow()));
        Duration stepDuration = step == null || step.isBlank() ? config.defaultStep() : duration(step);
        ReplayWindow window;
        try {
            window = new ReplayWindow(start, end, stepDuration);
        } catch (IllegalArgumentException e) {
            throw LookupException.badRequest(e.getMessage());
        }
        ReplayService.Run run;
        try {
            run = service.run(window);
        } catch (ReplayService.Busy e) {
            throw new WebApplicationException(e.getMessage(), 429);
        } catch (ReplayService.TimedOut e) {
            throw LookupException.unavailable(e.getMessage());
        } catch (ReplayReader.TooMuchData e) {
            throw LookupException.badRequest(e.getMessage());
        } catch (PrometheusException e) {
            throw LookupException.unavailable("cannot read the window from Prometheus: " + e.getMessage());
        }
        ReplayView view = ReplayView.of(run);
        if ("csv".equals(format)) {
            return Response.ok(ReplayCsv.of(view), ReplayCsv.MEDIA_TYPE).build();
        }
        if ("svg".equals(format)) {
            String title = "Replay " + window.from() + " to " + window.to() + ", step " + PromDuration.format(window.step())
                    + ": " + run.result().decisions().size() + " decisions";
            return Response.ok(ReplayChart.svg(run.result(), title), ReplayChart.MEDIA_TYPE).build();
        }
        return Response.ok(view, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** RFC 3339 or Unix seconds (with a fraction), as Prometheus' {@code start}/{@code end}. */
    static Optional<Instant> time(String name, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            BigDecimal seconds = new BigDecimal(v);
            return Optional.of(Instant.ofEpochMilli(seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact()));
        } catch (NumberFormatException | ArithmeticException notANumber) {
            // not Unix seconds: try RFC 3339
        }
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            throw LookupException.badRequest(name + " must be an RFC 3339 time (2026-11-30T10:00:00Z) or Unix seconds"
                    + " (1764496800), got '" + value + "'");
        }
    }

    /** A Prometheus duration ({@code 5m}, {@code 1h30m}) or a number of seconds ({@code 300}). */
    static Duration duration(String value) {
        String v = value.trim();
        try {
            BigDecimal seconds = new BigDecimal(v);
            return Duration.ofMillis(seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (NumberFormatException | ArithmeticException notANumber) {
            // not seconds: try a duration
        }
        return PromDuration.parse(v).orElseThrow(() -> LookupException.badRequest("step must be a duration (5m, 1h)"
                + " or a number of seconds (300), got '" + value + "'"));
    }
}
