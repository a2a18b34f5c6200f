package io.rwautoscaler.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.model.EndpointFailure;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.prometheus.Prometheus;
import io.rwautoscaler.prometheus.PrometheusException;
import io.rwautoscaler.prometheus.PrometheusTime;
import io.rwautoscaler.prometheus.QueryResult;
import io.rwautoscaler.prometheus.SeriesLimitException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Observe → publish: every {@code autoscaler.metrics.refresh}, each rule is queried once for all series and a
 * new snapshot replaces the old one. A rule whose query fails keeps its last good data (it goes stale, and
 * answers 503, only after {@code max-staleness}).
 */
@io.quarkus.runtime.Startup // its series exist from start-up, not from the first refresh (issue 14 item 5)
@ApplicationScoped
public class SnapshotRefresher {

    private static final Logger LOG = Logger.getLogger(SnapshotRefresher.class);

    private final Prometheus prometheus;
    private final List<MetricRule> rules;
    private final PodInventory inventory;
    private final ObjectLabels objectLabels;
    private final SnapshotHolder holder;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Double> lastSuccessSeconds = new ConcurrentHashMap<>();
    private final Map<String, Double> seriesCount = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    @Inject
    public SnapshotRefresher(Prometheus prometheus, MetricRuleSet rules, PodInventory inventory,
                             ObjectLabels objectLabels, SnapshotHolder holder, Clock clock, MeterRegistry registry) {
        this.prometheus = prometheus;
        this.rules = rules.rules();
        this.inventory = inventory;
        this.objectLabels = objectLabels;
        this.holder = holder;
        this.clock = clock;
        this.registry = registry;
        for (MetricRule r : this.rules) {
            Gauge.builder("rwa_metrics_last_success_timestamp_seconds", lastSuccessSeconds, m -> m.getOrDefault(r.name(), 0.0))
                    .description("Unix time of the rule's last successful refresh (0 = never)")
                    .tag("metric", r.name()).register(registry);
            Gauge.builder("rwa_metrics_series", seriesCount, m -> m.getOrDefault(r.name(), 0.0))
                    .description("Series the rule's last successful refresh returned")
                    .tag("metric", r.name()).register(registry);
            // Every documented series exists from start-up at 0 (issue 14 item 5): alerts see 0, not "absent".
            for (RuleCounter c : RuleCounter.values()) {
                c.of(registry, r.name());
            }
            for (String outcome : List.of("success", "error")) {
                refreshTimer(r.name(), outcome);
            }
        }
        inventoryErrors();
    }

    /** The per-rule counters, each written once: registered at start-up and counted where they happen. */
    private enum RuleCounter {
        SERIES_LIMIT_EXCEEDED("rwa_metrics_series_limit_exceeded",
                "Refreshes refused because the answer held more than autoscaler.metrics.max-series series"),
        QUERY_ERRORS("rwa_metrics_query_errors", "Rule refreshes that failed"),
        QUERY_WARNINGS("rwa_metrics_query_warnings", "Warnings returned with a rule's query"),
        NONFINITE_VALUES("rwa_metrics_nonfinite_values", "NaN/Inf values dropped (never served)"),
        EMPTY_RESULTS("rwa_metrics_empty_results", "Refreshes whose query returned no usable series");

        private final String name;
        private final String help;

        RuleCounter(String name, String help) {
            this.name = name;
            this.help = help;
        }

        Counter of(MeterRegistry registry, String metric) {
            return Counter.builder(name).description(help).tag("metric", metric).register(registry);
        }
    }

    private Counter inventoryErrors() {
        return Counter.builder("rwa_inventory_errors").description("Pod inventory refreshes that failed")
                .tag("metric", "pods").register(registry);
    }

    private Timer refreshTimer(String metric, String outcome) {
        return Timer.builder("rwa_metrics_refresh_duration").description("Time to query one rule")
                .tag("metric", metric).tag("outcome", outcome).register(registry);
    }

    @Scheduled(every = "${autoscaler.metrics.refresh:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "metrics-refresh", delayed = "${autoscaler.scheduler.first-delay:5s}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        runUnlessRunning();
    }

    /** One refresh now, unless one is running already (then that one will do). */
    void runUnlessRunning() {
        if (refreshing.compareAndSet(false, true)) {
            try {
                runOnce(clock.instant());
            } finally {
                refreshing.set(false);
            }
        }
    }

    /**
     * One cycle; tests call it directly with a fixed instant. Never throws: failures are kept per rule.
     *
     * <p>Once a snapshot is served, each rule's new data (or its error, with its last good data) replaces the rule's
     * old data in a new served snapshot as soon as it is fetched, and the pods are replaced at the end: at no time are
     * every rule's old and new series held together (issue 18: that was what ran a 128 MiB heap out at 100,000 series
     * per rule). The first refresh, with nothing served yet, publishes once at the end, so readiness still waits for
     * every rule. The snapshot published at the end is the one a refresh always published.
     */
    public Snapshot runOnce(Instant now) {
        Snapshot serving = holder.current().orElse(null);
        Map<String, MetricData> data = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        Set<String> namespaces = new HashSet<>();
        List<Sample> seen = new ArrayList<>();
        for (MetricRule rule : rules) {
            Timer.Sample timer = Timer.start(registry);
            String outcome = "success";
            try {
                MetricData d = fetch(rule, now);
                data.put(rule.name(), d);
                lastSuccessSeconds.put(rule.name(), now.toEpochMilli() / 1000.0);
                seriesCount.put(rule.name(), (double) d.samples().size());
                d.samples().forEach(s -> {
                    String ns = s.label(objectLabels.namespace());
                    if (ns != null) {
                        namespaces.add(ns);
                    }
                });
                seen.addAll(d.samples());
                if (serving != null) {
                    serving = serving.withRule(now, rule.name(), d, null);
                    holder.publish(serving);
                }
            } catch (RuntimeException e) {
                outcome = "error";
                String message = e.getMessage();
                if (e instanceof SeriesLimitException limit) {
                    message = "rule " + rule.name() + ": " + message;
                    RuleCounter.SERIES_LIMIT_EXCEEDED.of(registry, rule.name()).increment();
                }
                errors.put(rule.name(), message);
                RuleCounter.QUERY_ERRORS.of(registry, rule.name()).increment();
                LOG.warnf("refresh of %s failed, keeping its last good data: %s", rule.name(), message);
                MetricData kept = serving == null ? null : serving.data(rule.name()).orElse(null);
                if (kept != null) {
                    data.put(rule.name(), kept);
                }
                if (serving != null) {
                    serving = serving.withRule(now, rule.name(), kept, message);
                    holder.publish(serving);
                }
            } finally {
                timer.stop(refreshTimer(rule.name(), outcome));
            }
        }
        List<PodInfo> pods = serving == null ? List.of() : serving.pods();
        try {
            pods = inventory.pods(namespaces, seen);
        } catch (RuntimeException e) {
            inventoryErrors().increment();
            LOG.warnf("pod inventory failed, keeping the previous one: %s", e.getMessage());
        }
        Snapshot s = serving == null ? new Snapshot(now, rules, data, errors, pods, objectLabels)
                : serving.with(now, rules, data, errors, pods);
        holder.publish(s);
        return s;
    }

    private MetricData fetch(MetricRule rule, Instant now) {
        // The timestamp query runs beside the value query: on a 10,000-series rule each is a few MB of JSON, and
        // readiness waits for the first refresh.
        CompletableFuture<List<Sample>> stamps = rule.timestampQuery()
                .map(q -> CompletableFuture.supplyAsync(() -> prometheus.query(q).vector()))
                .orElseGet(() -> CompletableFuture.completedFuture(List.of()));
        CompletableFuture<Set<MetricData.QueueKey>> failing = rule.distributeToReceivers()
                ? CompletableFuture.supplyAsync(this::failingQueues) : CompletableFuture.completedFuture(Set.of());
        QueryResult result = prometheus.query(rule.query());
        if (!result.warnings().isEmpty()) {
            RuleCounter.QUERY_WARNINGS.of(registry, rule.name()).increment(result.warnings().size());
        }
        Map<Map<String, String>, Instant> sampledAt = new HashMap<>();
        // Series scraped together share one time: one Instant per distinct time, not one per series.
        Map<Long, Instant> times = new HashMap<>();
        try {
            for (Sample t : stamps.join()) {
                if (Double.isFinite(t.value())) {
                    sampledAt.put(t.labels(), times.computeIfAbsent(PrometheusTime.millis(t.value()), Instant::ofEpochMilli));
                }
            }
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof PrometheusException p)) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            // The values are still right; only their timestamps fall back to the evaluation time.
            LOG.debugf("timestamp query of %s failed: %s", rule.name(), p.getMessage());
        }
        List<Sample> finite = new ArrayList<>(result.vector().size());
        int nonFinite = 0;
        for (Sample s : result.vector()) {
            if (!s.isFinite()) {
                nonFinite++;
                continue;
            }
            Instant ts = sampledAt.get(s.labels());
            finite.add(ts == null ? s : s.withTimestamp(ts));
        }
        if (nonFinite > 0) {
            RuleCounter.NONFINITE_VALUES.of(registry, rule.name()).increment(nonFinite);
        }
        if (finite.isEmpty()) {
            RuleCounter.EMPTY_RESULTS.of(registry, rule.name()).increment();
        }
        return new MetricData(rule, finite, now, failing.join());
    }

    /**
     * The agent queues whose endpoint is failing: left out of the share spread over the receivers. When Prometheus
     * cannot tell, none is (the total is served as before), and the failure is logged.
     */
    private Set<MetricData.QueueKey> failingQueues() {
        try {
            Set<MetricData.QueueKey> keys = new HashSet<>();
            prometheus.query(EndpointFailure.FAILING_QUEUES).vector().forEach(s -> keys.add(MetricData.QueueKey.of(s)));
            return keys;
        } catch (RuntimeException e) {
            LOG.warnf("cannot tell which remote-write endpoints fail, counting every queue for the receivers: %s", e.getMessage());
            return Set.of();
        }
    }
}
