package io.rwautoscaler.apiserver;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Requests and latency of the metrics APIs by API, version and status code. */
@jakarta.inject.Singleton
public class RequestMetrics {

    private static final String START = RequestMetrics.class.getName() + ".start";

    @Inject
    MeterRegistry registry;

    /** One timer per (api, version, code): a few dozen at most, looked up without building a meter id per request. */
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    /** The served APIs' 200 timers exist from start-up at 0 (issue 14 item 5), so the 5xx share reads 0, not absent. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        for (String[] av : new String[][] {{CustomMetricsResource.GROUP, "v1beta1"}, {CustomMetricsResource.GROUP, "v1beta2"},
                {ExternalMetricsResource.GROUP, "v1beta1"}}) {
            timer(av[0], av[1], 200);
        }
    }

    private Timer timer(String api, String version, int code) {
        return timers.computeIfAbsent(api + ' ' + version + ' ' + code, k -> Timer.builder("rwa_metrics_api_requests")
                .description("Requests to the custom and external metrics APIs")
                .tag("api", api).tag("version", version)
                .tag("code", Integer.toString(code))
                .publishPercentileHistogram()
                .register(registry));
    }

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
        timer(api, v, code).record(System.nanoTime() - s, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
