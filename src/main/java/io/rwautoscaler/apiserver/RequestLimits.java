package io.rwautoscaler.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.rwautoscaler.config.ConfigProblems;
import io.rwautoscaler.config.HttpConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP layer's refusals as meta/v1 Status objects: a request target, headers or body over the documented
 * limits (414, 431, 413), a path with an empty segment or a {@code ;} parameter (404, as kube-apiserver's router
 * finds no such resource), and a request Vert.x-Web refuses before any route (400, e.g. bad percent-encoding).
 * {@link RequestGate} calls {@link #check} first thing on every request, on both ports.
 */
@ApplicationScoped
public class RequestLimits {

    /** "GET " + target + " HTTP/1.1": what Vert.x counts in a request line besides the target. */
    static final int REQUEST_LINE_OVERHEAD = 32;

    /** A refusal: the code and a message that says what to change. */
    public record Refusal(int code, String message) {
    }

    final int maxUriLength;
    final int maxHeaderBytes;
    final long maxBodyBytes;

    @Inject
    ObjectMapper json;

    @Inject
    public RequestLimits(HttpConfig config,
                         @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length", defaultValue = "4096") int vertxLine,
                         @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K") MemorySize vertxHeaders,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this(config.maxUriLength(), config.maxHeaderBytes(), maxBody.asLongValue(), vertxLine, vertxHeaders.asLongValue());
    }

    RequestLimits(int maxUriLength, int maxHeaderBytes, long maxBodyBytes, int vertxLine, long vertxHeaders) {
        List<String> problems = new ArrayList<>();
        if (maxUriLength < 256 || maxUriLength + REQUEST_LINE_OVERHEAD > vertxLine) {
            problems.add("autoscaler.http.max-uri-length: " + maxUriLength + " must be at least 256 and at most "
                    + (vertxLine - REQUEST_LINE_OVERHEAD) + " (quarkus.http.limits.max-initial-line-length " + vertxLine
                    + " minus the rest of the request line), so the application answers with a Status before Vert.x refuses bare");
        }
        if (maxHeaderBytes < 1024 || maxHeaderBytes > vertxHeaders) {
            problems.add("autoscaler.http.max-header-bytes: " + maxHeaderBytes + " must be at least 1024 and at most "
                    + vertxHeaders + " (quarkus.http.limits.max-header-size), so the application answers with a Status before Vert.x refuses bare");
        }
        if (!problems.isEmpty()) {
            throw ConfigProblems.invalid(problems);
        }
        this.maxUriLength = maxUriLength;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Vert.x-Web fails a request it cannot route (no Host header, a path not starting with '/') with a bare 400. */
    void routerRefusals(@Observes Router router) {
        router.errorHandler(400, this::badRequest);
    }

    private void badRequest(RoutingContext rc) {
        if (rc.response().ended() || rc.response().headWritten()) {
            return;
        }
        Throwable cause = rc.failure();
        String why = cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        StatusMappers.write(rc, json, 400, "the request was refused before routing" + why);
    }

    Refusal check(HttpServerRequest req) {
        List<Map.Entry<String, String>> headers = req.headers().entries();
        return check(req.uri(), req.path(), headers, req.getHeader("Content-Length"));
    }

    Refusal check(String uri, String rawPath, List<Map.Entry<String, String>> headers, String contentLength) {
        if (uri.length() > maxUriLength) {
            return new Refusal(414, "the request URI is " + uri.length() + " characters long, over the limit of "
                    + maxUriLength + " (autoscaler.http.max-uri-length): shorten the label selector (a selector may "
                    + "hold at most 4096 characters) or the path");
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : headers) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            return new Refusal(431, "the request headers hold " + headerBytes + " bytes, over the limit of "
                    + maxHeaderBytes + " (autoscaler.http.max-header-bytes): send fewer or shorter headers");
        }
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.strip());
            } catch (NumberFormatException e) {
                return new Refusal(400, "Content-Length '" + contentLength + "' is not a number of bytes");
            }
            if (length > maxBodyBytes) {
                return new Refusal(413, "the request body is " + length + " bytes, over the limit of " + maxBodyBytes
                        + " (quarkus.http.limits.max-body-size); this API reads no body: send none");
            }
        }
        String invalid = invalidUri(uri);
        if (invalid != null) {
            return new Refusal(400, "the request URI cannot be decoded: " + invalid
                    + "; percent-encode it (a '%' is %25, every escape is % and two hex digits, a space is %20)");
        }
        if (rawPath != null) {
            if (rawPath.contains("//")) {
                return new Refusal(404, "the server could not find the requested resource: the path " + cut(rawPath)
                        + " has an empty segment (//)");
            }
            if (rawPath.indexOf(';') >= 0) {
                return new Refusal(404, "the server could not find the requested resource: the path " + cut(rawPath)
                        + " has a ';' (path parameters are not part of any resource name)");
            }
        }
        return null;
    }

    /**
     * The check Quarkus' root handler makes (see {@code runtime.Main}), as a message instead of a bare 400: what
     * {@link java.net.URI} refuses, with the offending characters.
     */
    static String invalidUri(String uri) {
        try {
            new java.net.URI(uri);
            return null;
        } catch (java.net.URISyntaxException e) {
            int at = e.getIndex();
            String near = at < 0 ? "" : " '" + uri.substring(at, Math.min(uri.length(), at + 3)) + "'";
            return e.getReason() + " at index " + at + near;
        }
    }

    private static String cut(String path) {
        return path.length() <= 200 ? "'" + path + "'" : "'" + path.substring(0, 200) + "…'";
    }
}
