package io.rwautoscaler.apiserver.delegation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.rwautoscaler.apiserver.StatusMappers;
import io.rwautoscaler.apiserver.wire.Discovery;
import io.rwautoscaler.apiserver.wire.Status;
import io.rwautoscaler.config.DelegateConfig;
import io.rwautoscaler.core.model.MetricKind;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Answers for another adapter's metrics in the groups this service owns (autoscaler.delegate.*). Discovery lists
 * the other adapter's resources after this service's own (own names win a clash); a request for a metric this
 * service does not serve, once {@code RequestGate} has authenticated and authorized the caller, is forwarded with
 * this service's own token and the other adapter's answer returned unchanged. The other adapter being down or slow
 * touches only its own metrics: they get a 503 Status naming it, discovery keeps its last good list.
 */
@ApplicationScoped
public class Delegation {

    private static final Logger LOG = Logger.getLogger(Delegation.class);
    public static final String CUSTOM = "custom.metrics.k8s.io";
    public static final String EXTERNAL = "external.metrics.k8s.io";
    private static final Map<String, List<String>> VERSIONS = Map.of(CUSTOM, List.of("v1beta1", "v1beta2"), EXTERNAL, List.of("v1beta1"));
    /** Right after RequestGate (10 000): only authenticated, authorized requests get here. */
    static final int PRIORITY = 9_990;

    private final Map<String, OtherAdapter> adapters = new LinkedHashMap<>();
    private final Map<String, Set<String>> ours = new LinkedHashMap<>();
    private final Map<String, DiscoveryCache> discovery = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> shadowed = new ConcurrentHashMap<>();
    private final Set<String> reportedClashes = ConcurrentHashMap.newKeySet();
    private final Duration refresh;
    private final Clock clock;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    @Inject
    public Delegation(DelegateConfig config, MetricRuleSet rules, Clock clock, ObjectMapper json, MeterRegistry registry) {
        if (config.maxResponseBytes() <= 0) {
            throw io.rwautoscaler.config.ConfigProblems.invalid("autoscaler.delegate.max-response-bytes", "must be at least 1");
        }
        if (config.discoveryRefresh().isNegative()) {
            throw io.rwautoscaler.config.ConfigProblems.invalid("autoscaler.delegate.discovery-refresh", "must not be negative");
        }
        this.refresh = config.discoveryRefresh();
        this.clock = clock;
        this.json = json;
        this.registry = registry;
        add(CUSTOM, "autoscaler.delegate.custom", config.custom(), config.maxResponseBytes());
        add(EXTERNAL, "autoscaler.delegate.external", config.external(), config.maxResponseBytes());
        ours.put(CUSTOM, names(rules, MetricKind.CUSTOM));
        ours.put(EXTERNAL, names(rules, MetricKind.EXTERNAL));
    }

    private void add(String group, String key, DelegateConfig.Upstream config, int maxBytes) {
        if (config.url().isEmpty()) {
            return;
        }
        adapters.put(group, new OtherAdapter(group, key, config, maxBytes));
        AtomicInteger n = new AtomicInteger();
        shadowed.put(group, n);
        registry.gauge("rwa_delegate_discovery_shadowed", io.micrometer.core.instrument.Tags.of("api", group), n);
        for (String version : VERSIONS.get(group)) {
            discovery.put(group + "/" + version, new DiscoveryCache());
        }
    }

    private static Set<String> names(MetricRuleSet rules, MetricKind kind) {
        return rules.rules().stream().filter(r -> r.servedAs(kind)).map(MetricRule::name).collect(Collectors.toUnmodifiableSet());
    }

    /** The other adapter of this group, if any. */
    public Optional<String> delegatesTo(String group) {
        return Optional.ofNullable(adapters.get(group)).map(a -> a.base().toString());
    }

    void start(@Observes StartupEvent e) {
        if (!adapters.isEmpty()) {
            adapters.values().forEach(a -> LOG.infof("metrics of %s this service does not serve are forwarded to %s",
                    a.group(), a.base()));
            Instant now = clock.instant();
            discovery.keySet().forEach(k -> refresh(k, now));
        }
    }

    /**
     * This service's resources of {@code group/version}, followed by the other adapter's last good list minus the
     * metrics this service serves; sorted by name. Starts a background refresh when the list is older than
     * autoscaler.delegate.discovery-refresh; never waits for it.
     */
    public List<Discovery.APIResource> merge(String group, String version, List<Discovery.APIResource> own) {
        String key = group + "/" + version;
        DiscoveryCache cache = discovery.get(key);
        if (cache == null) {
            return own;
        }
        Instant now = clock.instant();
        if (!cache.lastAttempt.plus(refresh).isAfter(now)) {
            refresh(key, now);
        }
        List<Discovery.APIResource> out = new ArrayList<>(own);
        int hidden = 0;
        for (Discovery.APIResource r : cache.lastGood) {
            if (ours.get(group).contains(metricOf(r.name()))) {
                hidden++;
                if (reportedClashes.add(key + " " + r.name())) {
                    LOG.warnf("%s lists %s in %s, which this service serves too: this service answers it (the other's "
                            + "entry is left out of discovery)", adapters.get(group).describe(), r.name(), key);
                }
            } else {
                out.add(r);
            }
        }
        shadowed.get(group).set(hidden);
        out.sort(Comparator.comparing(Discovery.APIResource::name));
        return out;
    }

    /** pods/http_requests → http_requests; an external metric's resource is its name. */
    private static String metricOf(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    private void refresh(String key, Instant now) {
        DiscoveryCache cache = discovery.get(key);
        if (!cache.inFlight.compareAndSet(false, true)) {
            return;
        }
        cache.lastAttempt = now;
        OtherAdapter adapter = adapters.get(key.substring(0, key.indexOf('/')));
        adapter.get("/apis/" + key).whenComplete((answer, error) -> {
            try {
                if (error != null) {
                    OtherAdapter.Unavailable u = error instanceof OtherAdapter.Unavailable x ? x
                            : new OtherAdapter.Unavailable("failed", adapter.describe() + ": " + error, error);
                    count(adapter, "discovery", u.reason());
                    cache.failed(key, u.getMessage());
                } else if (answer.status() != 200) {
                    count(adapter, "discovery", Integer.toString(answer.status()));
                    cache.failed(key, adapter.describe() + " answered HTTP " + answer.status());
                } else {
                    List<Discovery.APIResource> resources = parse(answer.body());
                    count(adapter, "discovery", "200");
                    cache.answered(key, resources);
                }
            } catch (RuntimeException e) {
                count(adapter, "discovery", "bad_response");
                cache.failed(key, adapter.describe() + " answered an unreadable APIResourceList: " + e.getMessage());
            } finally {
                cache.inFlight.set(false);
            }
        });
    }

    private List<Discovery.APIResource> parse(byte[] body) {
        try {
            JsonNode list = json.readTree(body);
            JsonNode resources = list.path("resources");
            if (!"APIResourceList".equals(list.path("kind").asText()) || !resources.isArray()) {
                throw new IllegalArgumentException("not an APIResourceList with resources");
            }
            List<Discovery.APIResource> out = new ArrayList<>();
            for (JsonNode r : resources) {
                String name = r.path("name").asText("");
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("a resource without a name");
                }
                List<String> verbs = new ArrayList<>();
                r.path("verbs").forEach(v -> verbs.add(v.asText()));
                out.add(new Discovery.APIResource(name, r.path("singularName").asText(""), r.path("namespaced").asBoolean(),
                        r.path("kind").asText(""), verbs));
            }
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    void register(@Observes Filters filters) {
        if (!adapters.isEmpty()) {
            filters.register(this::route, PRIORITY);
        }
    }

    /** /apis/{group}/{version}/...{metric} for a metric this service does not serve: forwarded; anything else goes on. */
    void route(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (!path.startsWith("/apis/") || rc.request().method() != HttpMethod.GET) {
            rc.next();
            return;
        }
        String[] seg = path.substring("/apis/".length()).split("/", -1);
        OtherAdapter adapter = seg.length >= 5 ? adapters.get(seg[0]) : null;
        String metric = seg[seg.length - 1];
        if (adapter == null || !VERSIONS.get(seg[0]).contains(seg[1]) || metric.isEmpty() || ours.get(seg[0]).contains(metric)) {
            rc.next();
            return;
        }
        String query = rc.request().query();
        Context context = Vertx.currentContext();
        adapter.get(query == null ? path : path + "?" + query).whenComplete((answer, error) -> {
            Runnable reply = () -> {
                if (rc.response().ended() || rc.response().closed()) {
                    return;
                }
                if (error == null) {
                    count(adapter, "metric", Integer.toString(answer.status()));
                    rc.response().setStatusCode(answer.status()).putHeader("Content-Type", answer.contentType())
                            .end(Buffer.buffer(answer.body()));
                } else {
                    OtherAdapter.Unavailable u = error instanceof OtherAdapter.Unavailable x ? x
                            : new OtherAdapter.Unavailable("failed", adapter.describe() + ": " + error, error);
                    count(adapter, "metric", u.reason());
                    unavailable(rc, seg[0] + "/" + seg[1] + " metric " + metric + " is served by " + adapter.describe()
                            + ", which cannot answer: " + u.getMessage());
                }
            };
            if (context != null) {
                context.runOnContext(v -> reply.run());
            } else {
                reply.run();
            }
        });
    }

    private void unavailable(RoutingContext rc, String message) {
        String body;
        try {
            body = json.writeValueAsString(Status.failure(503, StatusMappers.reason(503), message, null));
        } catch (Exception e) {
            body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503}";
        }
        rc.response().setStatusCode(503).putHeader("Content-Type", "application/json").end(body);
    }

    private void count(OtherAdapter adapter, String kind, String outcome) {
        registry.counter("rwa_delegate_requests", "api", adapter.group(), "kind", kind, "outcome", outcome).increment();
    }

    /** The other adapter's last good discovery list of one group version. */
    private static final class DiscoveryCache {
        volatile List<Discovery.APIResource> lastGood = List.of();
        volatile Instant lastAttempt = Instant.EPOCH;
        final AtomicBoolean inFlight = new AtomicBoolean();
        private final AtomicBoolean failing = new AtomicBoolean();

        void answered(String key, List<Discovery.APIResource> resources) {
            lastGood = List.copyOf(resources);
            if (failing.compareAndSet(true, false)) {
                LOG.infof("discovery of %s from the other adapter works again (%d resources)", key, resources.size());
            }
        }

        /** Logged when it starts failing, not on every attempt; the counter has every one. */
        void failed(String key, String message) {
            if (failing.compareAndSet(false, true)) {
                LOG.warnf("discovery of %s from the other adapter failed, keeping its last good list (%d resources): %s",
                        key, lastGood.size(), message);
            } else {
                LOG.debugf("discovery of %s from the other adapter failed again: %s", key, message);
            }
        }
    }
}
