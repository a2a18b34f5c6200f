package io.rwautoscaler.sizing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.rwautoscaler.config.RightSizingConfig;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.sizing.PodOwners;
import io.rwautoscaler.core.sizing.ResourceBounds;
import io.rwautoscaler.core.sizing.RightSizer;
import io.rwautoscaler.core.sizing.RightSizingReport;
import io.rwautoscaler.core.sizing.SizedResource;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;
import io.rwautoscaler.core.sizing.WorkloadSpec;
import io.rwautoscaler.core.sizing.WorkloadUsage;
import io.rwautoscaler.core.sizing.UsageAssembly;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Observe → decide → report, every {@code autoscaler.rightsizing.every}: workloads and their requests, a window of
 * usage (a few batched range queries per namespace group), {@link RightSizer}, then the report, gauges and, when
 * a recommendation first appears or changes, an Event on the workload. It flags only; nothing is patched.
 *
 * <p>A run reads a week of data and may take minutes, so it runs on a thread of its own: the scheduler's call
 * only hands it over and returns, and the 15-second metrics refresh, which shares the scheduler's worker pool,
 * is never kept waiting. Runs never overlap. The last completed run is kept until the next one completes; a run
 * that fails leaves it in place.
 */
@Startup // built at start-up, so invalid autoscaler.rightsizing.* settings fail the start
@Singleton
public class RightSizingLoop {

    private static final Logger LOG = Logger.getLogger(RightSizingLoop.class);

    private final RightSizingSettings settings;
    private final WorkloadInventory inventory;
    private final UsageReader usage;
    private final RightSizingHolder holder;
    private final WorkloadEvents events;
    private final Consumer<RightSizingRun> published;
    private final Clock clock;
    private final MeterRegistry registry;
    private final boolean enabled;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rwa-rightsizing");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    /** The message last recorded per flagged workload: an Event only when it first appears or changes. */
    private final Map<ObjectRef, String> announced = new HashMap<>();

    @Inject
    RightSizingLoop(RightSizingConfig config, RightSizingSettings settings, WorkloadInventory inventory, UsageReader usage,
                    RightSizingHolder holder, WorkloadEvents events, Event<RightSizingRun> published, Clock clock,
                    MeterRegistry registry) {
        this(settings, inventory, usage, holder, events, published::fire, clock, registry, config.enabled());
    }

    /** For tests and for wiring without a container. */
    public RightSizingLoop(RightSizingSettings settings, WorkloadInventory inventory, UsageReader usage,
                           RightSizingHolder holder, WorkloadEvents events, Consumer<RightSizingRun> published,
                           Clock clock, MeterRegistry registry, boolean enabled) {
        this.settings = settings;
        this.inventory = inventory;
        this.usage = usage;
        this.holder = holder;
        this.events = events;
        this.published = published;
        this.clock = clock;
        this.registry = registry;
        this.enabled = enabled;
        // Every documented series exists from start-up at 0 (issue 14 item 5), not only after the first run.
        runTimer("partial");
        runTimer("complete");
        failures();
    }

    private Timer runTimer(String outcome) {
        return Timer.builder("rwa_rightsizing_run_duration").description("Time of one right-sizing run")
                .tag("outcome", outcome).register(registry);
    }

    private Counter failures() {
        return Counter.builder("rwa_rightsizing_failures").description("Right-sizing runs that produced no report")
                .register(registry);
    }

    @Scheduled(every = "${autoscaler.rightsizing.every:1h}", delayed = "${autoscaler.rightsizing.initial-delay:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "rightsizing")
    void scheduled() {
        if (enabled) {
            trigger();
        }
    }

    /**
     * Starts {@code runOnce(clock.instant())} on the loop's own thread and returns at once.
     *
     * @return false when a run is still going (it is not queued behind it) or the loop is shut down
     */
    public boolean trigger() {
        if (!running.compareAndSet(false, true)) {
            LOG.debug("right-sizing run still going, this one is skipped");
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    runOnce(clock.instant());
                } finally {
                    running.set(false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            running.set(false);
            return false;
        }
    }

    /** Whether a triggered run is going now. */
    public boolean running() {
        return running.get();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** One run; tests call it directly with a fixed instant. Never throws: a failure keeps the last report. */
    public synchronized Optional<RightSizingRun> runOnce(Instant now) {
        long started = System.nanoTime();
        try {
            RightSizingRun run = observeAndDecide(now, started);
            holder.publish(run);
            published.accept(run);
            announce(run.report(), now);
            runTimer(run.partial() ? "partial" : "complete").record(run.took());
            LOG.infof("right-sizing: %d workloads, %d flagged, monthly saving %s, %d usage queries, %d ms%s",
                    run.report().items().size(), run.report().flagged().size(), run.report().total().saving(),
                    run.usageQueries(), run.took().toMillis(), run.partial() ? ", PARTIAL: " + run.allPartialReasons() : "");
            return Optional.of(run);
        } catch (RuntimeException e) {
            holder.failed(new RightSizingHolder.Failure(now, String.valueOf(e.getMessage())));
            failures().increment();
            LOG.warnf(e, "right-sizing run failed, keeping the last report: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private RightSizingRun observeAndDecide(Instant now, long started) {
        Duration window = settings.policy().window();
        List<WorkloadUsage> workloads = new ArrayList<>();
        List<ResourceBounds> vpaBounds = new ArrayList<>();
        Map<String, List<String>> partial = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int queries = 0;
        boolean answered = false;
        Duration step = null;
        for (List<String> group : settings.namespaceGroups()) {
            WorkloadInventory.Workloads found;
            try {
                found = inventory.read(group, now, window);
            } catch (RuntimeException e) {
                String why = "workloads of " + String.join(",", group) + " unknown: " + e.getMessage();
                failures.add(why);
                group.forEach(ns -> partial.computeIfAbsent(ns, k -> new ArrayList<>()).add(why));
                continue;
            }
            vpaBounds.addAll(found.bounds());
            UsageReader.Read cpu = usage.read(SizedResource.CPU, group, now, window);
            UsageReader.Read memory = usage.read(SizedResource.MEMORY, group, now, window);
            for (UsageReader.Read read : List.of(cpu, memory)) {
                queries += read.queries();
                answered |= read.answered() > 0;
                notes.addAll(read.notes());
                if (read.partial()) {
                    group.forEach(ns -> partial.computeIfAbsent(ns, k -> new ArrayList<>()).addAll(read.problems()));
                    failures.addAll(read.problems());
                }
            }
            step = step == null ? cpu.step() : step;
            PodOwners owners = new PodOwners(found.specs().stream().map(WorkloadSpec::workload).toList(), found.podOwners());
            workloads.addAll(UsageAssembly.assemble(settings.cluster(), found.specs(), owners, cpu.series(),
                    memory.series(), cpu.step()));
        }
        if (!answered) {
            throw new IllegalStateException("no usage could be read" + (failures.isEmpty() ? "" : ": " + failures.get(0)));
        }
        RightSizer sizer = new RightSizer(settings.policy().withBounds(vpaBounds.toArray(ResourceBounds[]::new)),
                settings.prices());
        RightSizingReport report = sizer.evaluate(workloads, now);
        return new RightSizingRun(report, window, step, partial, notes, now,
                Duration.ofNanos(System.nanoTime() - started), queries);
    }

    /** An Event per workload whose flagged recommendation is new or different from the last one recorded. */
    private void announce(RightSizingReport report, Instant now) {
        Set<ObjectRef> flagged = new HashSet<>();
        for (WorkloadRecommendation r : report.flagged()) {
            flagged.add(r.workload());
            String message = RecommendationMessage.of(r);
            if (message.equals(announced.get(r.workload()))) {
                continue;
            }
            try {
                if (events.record(r.workload(), RecommendationMessage.REASON, message, now)) {
                    announced.put(r.workload(), message);
                }
            } catch (RuntimeException e) {
                LOG.warnf("could not record an Event on %s, will try again next run: %s", r.workload(), e.getMessage());
            }
        }
        // One that stops being flagged and comes back later is announced again.
        announced.keySet().retainAll(flagged);
    }
}
