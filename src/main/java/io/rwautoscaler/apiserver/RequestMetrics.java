package io.rwautoscaler.apiserver;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Requests and latency of the metrics APIs by API, version and status code. */
public class RequestMetrics {

    private static final String START = RequestMetrics.class.getName() + ".start";

    @Inject
    MeterRegistry registry;

    /** One timer per (api, version, code): a few dozen at most, looked up without building a meter id per request. */
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    @ServerRequestFilter
    public void start(ContainerRequestContext ctx) {
        ctx.setProperty(START, System.nanoTime());
    }

    @ServerResponseFilter
    public void stop(ContainerRequestContext req, ContainerResponseContext resp) {
        Object start = req.getProperty(START);
        String path = req.getUriInfo().getPath();
        if (!(start instanceof Long s) || !path.startsWith("/apis/")) {
            return;
        }
        String[] seg = path.split("/", 5);
        String api = seg.length > 2 ? seg[2] : "";
        String version = seg.length > 3 ? seg[3] : "";
        if (!api.equals(CustomMetricsResource.GROUP) && !api.equals(ExternalMetricsResource.GROUP)) {
            api = "other";
            version = "";
        }
        String v = version.length() > 10 ? "other" : version;
        int code = resp.getStatus();
        String a = api;
        timers.computeIfAbsent(a + ' ' + v + ' ' + code, k -> Timer.builder("rwa_metrics_api_requests")
                        .description("Requests to the custom and external metrics APIs")
                        .tag("api", a).tag("version", v)
                        .tag("code", Integer.toString(code))
                        .publishPercentileHistogram()
                        .register(registry))
                .record(System.nanoTime() - s, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
