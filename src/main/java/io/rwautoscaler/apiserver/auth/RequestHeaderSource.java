package io.rwautoscaler.apiserver.auth;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.rwautoscaler.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the front-proxy settings from {@code kube-system/extension-apiserver-authentication} current: read at
 * start-up and every {@code autoscaler.auth.requestheader-refresh}. A read or parse that fails keeps the
 * previous settings (and is counted); a changed client CA takes effect at the next request.
 */
@ApplicationScoped
public class RequestHeaderSource {

    private static final Logger LOG = Logger.getLogger(RequestHeaderSource.class);

    public enum Outcome { LOADED, CHANGED, UNCHANGED, FAILED }

    private record Loaded(Map<String, String> data, RequestHeaderConfig config, Instant at) {
    }

    private final AuthConfig config;
    private final Instance<KubernetesClient> client;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>("not read yet");

    @Inject
    public RequestHeaderSource(AuthConfig config, Instance<KubernetesClient> client, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.registry = registry;
        Gauge.builder("rwa_auth_requestheader_loaded_timestamp_seconds", current,
                        c -> c.get() == null ? 0 : c.get().at().getEpochSecond())
                .description("When the front-proxy CA ConfigMap was last read successfully (0 = never)").register(registry);
    }

    /** First read right at start-up, off the main thread: a slow API server must not hold start-up (readiness waits). */
    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            CompletableFuture.runAsync(() -> runOnce(clock.instant()));
        }
    }

    @Scheduled(every = "${autoscaler.auth.requestheader-refresh:30s}", identity = "requestheader-refresh",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // A tick while a refused start-up shuts down would print a stack trace after the one-line message.
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (config.enabled()) {
            runOnce(clock.instant());
        }
    }

    public Optional<RequestHeaderConfig> current() {
        Loaded l = current.get();
        return l == null ? Optional.empty() : Optional.of(l.config());
    }

    /** Why the last read failed, or empty after a success. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError.get());
    }

    public String source() {
        return config.requestheaderNamespace() + "/" + config.requestheaderConfigMap();
    }

    /** One read; tests call it directly. */
    public synchronized Outcome runOnce(Instant now) {
        Map<String, String> data;
        try {
            ConfigMap cm = client.get().configMaps().inNamespace(config.requestheaderNamespace())
                    .withName(config.requestheaderConfigMap()).get();
            if (cm == null) {
                return failed("ConfigMap " + source() + " not found");
            }
            data = new TreeMap<>(cm.getData() == null ? Map.of() : cm.getData());
            data.keySet().removeIf(k -> !k.startsWith("requestheader-"));
        } catch (RuntimeException e) {
            return failed("reading ConfigMap " + source() + ": " + e.getMessage());
        }
        Loaded previous = current.get();
        if (previous != null && previous.data().equals(data)) {
            current.set(new Loaded(data, previous.config(), now));
            lastError.set(null);
            return Outcome.UNCHANGED;
        }
        RequestHeaderConfig parsed;
        try {
            parsed = RequestHeaderConfig.parse(data);
        } catch (RequestHeaderConfig.InvalidException e) {
            return failed("ConfigMap " + source() + ": " + e.getMessage());
        }
        current.set(new Loaded(data, parsed, now));
        lastError.set(null);
        if (!parsed.frontProxyEnabled()) {
            LOG.warnf("%s has no %s (or no username headers): front-proxy authentication is off, only bearer tokens work",
                    source(), RequestHeaderConfig.CA_KEY);
        }
        if (previous == null) {
            LOG.infof("front-proxy settings loaded from %s: %d CA certificate(s), allowed names %s", source(),
                    parsed.caCertificates().size(), parsed.allowedNames().isEmpty() ? "any" : parsed.allowedNames());
            count("loaded");
            return Outcome.LOADED;
        }
        LOG.infof("front-proxy settings in %s changed: now %d CA certificate(s), allowed names %s", source(),
                parsed.caCertificates().size(), parsed.allowedNames().isEmpty() ? "any" : parsed.allowedNames());
        count("changed");
        return Outcome.CHANGED;
    }

    private Outcome failed(String why) {
        String before = lastError.getAndSet(why);
        if (!why.equals(before)) {
            LOG.warnf("front-proxy settings not refreshed (%s); %s", why,
                    current.get() == null ? "no front-proxy authentication until a read succeeds" : "keeping the previous ones");
        }
        count("failed");
        return Outcome.FAILED;
    }

    private void count(String result) {
        Counter.builder("rwa_auth_requestheader_reads_total").description("Reads of the front-proxy CA ConfigMap by result")
                .tag("result", result).register(registry).increment();
    }
}
