package io.rwautoscaler.apiserver;

import io.rwautoscaler.apiserver.wire.Status;
import io.rwautoscaler.core.metrics.LookupException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become HTTP: a meta/v1 Status, never a stack trace or an HTML page. */
public class StatusMappers {

    private static final Logger LOG = Logger.getLogger(StatusMappers.class);

    @ServerExceptionMapper
    public Response lookup(LookupException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> status(404, e.getMessage());
            case BAD_REQUEST -> status(400, e.getMessage());
            case UNAVAILABLE -> status(503, e.getMessage());
        };
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int code = e.getResponse().getStatus();
        String message = switch (code) {
            case 404 -> "the server could not find the requested resource";
            case 405 -> "the server does not allow this method on the requested resource";
            case 406 -> "the server can only answer application/json";
            default -> e.getMessage();
        };
        return status(code, message);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error while serving a request", e);
        return status(500, "internal error: " + e.getClass().getSimpleName() + " (see the server log)");
    }

    static Response status(int code, String message) {
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Status.failure(code, reason(code), message, null)).build();
    }

    /** The same Status written straight to a Vert.x response, for refusals made before any resource runs. */
    public static void write(io.vertx.ext.web.RoutingContext rc, com.fasterxml.jackson.databind.ObjectMapper json,
                             int code, String message) {
        String body;
        try {
            body = json.writeValueAsString(Status.failure(code, reason(code), message, null));
        } catch (Exception e) {
            body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code + "}";
        }
        var response = rc.response();
        if (code == 413 || code == 414 || code == 431) {
            // The rest of such a request may still be on its way: do not read it, end the connection.
            response.putHeader("Connection", "close");
        }
        response.setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
    }

    public static String reason(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 406 -> "NotAcceptable";
            case 409 -> "Conflict";
            case 413 -> "RequestEntityTooLarge";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> code >= 500 ? "InternalError" : "";
        };
    }
}
