package io.rwautoscaler.shards;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueId;
import io.rwautoscaler.core.shards.QueueInput;
import io.rwautoscaler.core.shards.QueueMatching;
import io.rwautoscaler.core.shards.ShardCycle;
import io.rwautoscaler.core.shards.ShardCycleResult;
import io.rwautoscaler.core.shards.ShardDecision;
import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.core.shards.TunerState;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.runtime.Leadership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The shard tuner: every {@code autoscaler.shards.every}, observe (one query per figure for all queues), find the
 * agents and match their remoteWrite entries to the series, decide ({@link ShardCycle}, pure), act (patch and
 * events, leader only; recommend mode is decided in {@link QueueConfigPatcher}), report (API and gauges).
 *
 * <p>A cycle that throws is logged, counted and reported, and the next one runs. A cycle that outlasts the
 * interval makes the scheduler skip the next start rather than queue it, and {@link #runOnce} refuses to run twice
 * at once whoever calls it.
 */
@Startup
@ApplicationScoped
public class ShardTunerLoop {

    private static final Logger LOG = Logger.getLogger(ShardTunerLoop.class);

    private final boolean enabled;
    private final ShardPolicy policy;
    private final QueueObserver observer;
    private final QueueInventory inventory;
    private final QueueConfigPatcher patcher;
    private final KubeEvents events;
    private final Leadership leadership;
    private final ShardReportHolder holder;
    private final Clock clock;
    private final MeterRegistry registry;
    private final ShardGauges gauges;
    private final AtomicBoolean running = new AtomicBoolean();
    private final PatchBackoff backoff = new PatchBackoff();
    private final Map<QueueId, ShardReport.Action> lastActions = new ConcurrentHashMap<>();
    private final Counter skipped;
    private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();
    private volatile TunerState state = TunerState.empty();
    private volatile ShardReport.Cycle lastGoodCycle;

    @Inject
    public ShardTunerLoop(ShardsConfig config, ShardPolicy policy, QueueObserver observer, QueueInventory inventory,
                          QueueConfigPatcher patcher, @Named(ShardWiring.EVENTS) KubeEvents events,
                          Leadership leadership,
                          ShardReportHolder holder, Clock clock, MeterRegistry registry) {
        this.enabled = config.enabled();
        this.policy = policy;
        this.observer = observer;
        this.inventory = inventory;
        this.patcher = patcher;
        this.events = events;
        this.leadership = leadership;
        this.holder = holder;
        this.clock = clock;
        this.registry = registry;
        this.gauges = new ShardGauges(registry, config.metricsQueueLimit());
        this.skipped = Counter.builder("rwa_shards_cycles").tag("outcome", "skipped")
                .description("Shard tuner cycles, by outcome (skipped: the previous one was still running)")
                .register(registry);
        Gauge.builder("rwa_shards_last_success_timestamp_seconds", lastSuccess, m -> m.getOrDefault("t", 0.0))
                .description("Unix time of the shard tuner's last successful cycle (0 = never)").register(registry);
        Gauge.builder("rwa_shards_leader", leadership, l -> l.isLeader() ? 1 : 0)
                .description("1 when this replica holds the lease and may patch").register(registry);
        // Every documented series exists from start-up at 0 (issue 14 item 5), not only after its first event.
        for (String outcome : List.of("success", "failure")) {
            cycleCounter(outcome);
            cycleTimer(outcome);
        }
        for (QueueConfigPatcher.Outcome o : QueueConfigPatcher.Outcome.values()) {
            patchCounter(o);
        }
    }

    private Counter cycleCounter(String outcome) {
        return counter("rwa_shards_cycles", "outcome", outcome, "Shard tuner cycles, by outcome");
    }

    private Timer cycleTimer(String outcome) {
        return Timer.builder("rwa_shards_cycle_duration").tag("outcome", outcome)
                .description("Time of one shard tuner cycle").register(registry);
    }

    private Counter patchCounter(QueueConfigPatcher.Outcome outcome) {
        return counter("rwa_shards_patches", "outcome", outcome.wireName(),
                "queueConfig patches, by outcome (dry-run: recommend mode)");
    }

    @Scheduled(every = "${autoscaler.shards.every:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "shard-tuner", delayed = "${autoscaler.scheduler.first-delay:5s}",
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        if (enabled) {
            runOnce(clock.instant());
        }
    }

    /** Whether a cycle is running now. */
    public boolean isRunning() {
        return running.get();
    }

    /** The tuner's memory (our changes, the hour's budget); for tests and the report. */
    public TunerState state() {
        return state;
    }

    /**
     * One cycle; tests call it with a fixed instant. Never throws. Returns the report it published, or the current
     * one when another cycle is still running (this one is then skipped).
     */
    public ShardReport runOnce(Instant now) {
        if (!running.compareAndSet(false, true)) {
            skipped.increment();
            LOG.warn("shard tuner cycle skipped: the previous one is still running");
            return holder.current().orElse(null);
        }
        Timer.Sample timer = Timer.start(registry);
        long started = System.nanoTime();
        String outcome = "success";
        try {
            ShardReport report = cycle(now, started);
            holder.publish(report);
            gauges.update(report);
            lastSuccess.put("t", now.toEpochMilli() / 1000.0);
            return report;
        } catch (RuntimeException e) {
            outcome = "failure";
            LOG.errorf(e, "shard tuner cycle at %s failed; the next one runs as scheduled", now);
            ShardReport failed = failedReport(now, started, e);
            holder.publish(failed);
            return failed;
        } finally {
            cycleCounter(outcome).increment();
            timer.stop(cycleTimer(outcome));
            running.set(false);
        }
    }

    private ShardReport cycle(Instant now, long started) {
        ObservedQueues observed = observer.observe(now);
        List<Agent> agents = inventory.agents(observed);
        QueueMatching.Result matched = QueueMatching.match(agents, observed.series());

        List<QueueInput> inputs = new ArrayList<>(matched.queues().size());
        Map<QueueId, QueueMatching.MatchedQueue> byId = new HashMap<>();
        for (QueueMatching.MatchedQueue q : matched.queues()) {
            byId.put(q.id(), q);
            inputs.add(new QueueInput(q.id(), q.entry().config(),
                    observed.observation(q.series(), q.entry().config()), observed.receivers()));
        }
        TunerState before = state;
        ShardCycleResult result = ShardCycle.run(inputs, before, policy, now);
        boolean leader = leadership.isLeader();
        Set<QueueId> applied = act(result, byId, leader, now);
        lastActions.keySet().retainAll(byId.keySet());
        state = result.nextState(applied);

        ShardReport.Cycle cycle = new ShardReport.Cycle(now, Duration.ofNanos(System.nanoTime() - started),
                Optional.empty(), observed.errors(), observed.queries());
        lastGoodCycle = cycle;
        List<ShardReport.Queue> queues = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            QueueInput in = inputs.get(i);
            ShardDecision d = result.decisions().get(i);
            QueueMatching.MatchedQueue q = byId.get(in.queue());
            queues.add(new ShardReport.Queue(q.agent(), q.entry(), q.series(), in.observation(), in.receivers(), d,
                    state.lastChange(in.queue()), Optional.ofNullable(lastActions.get(in.queue()))));
        }
        if (!observed.errors().isEmpty()) {
            LOG.warnf("shard tuner: %d queries failed, their figures are unknown this cycle: %s",
                    observed.errors().size(), observed.errors());
        }
        return new ShardReport(patcher.mode().name().toLowerCase(Locale.ROOT), leader, leadership.identity(),
                leadership.leader(), cycle, Optional.of(cycle), agents, queues, matched.unmatched(),
                matched.problems());
    }

    /** Patches and events; only the leader acts. Returns the queues actually patched. */
    private Set<QueueId> act(ShardCycleResult result, Map<QueueId, QueueMatching.MatchedQueue> byId,
                             boolean leader, Instant now) {
        Set<QueueId> applied = new HashSet<>();
        Set<QueueId> toApply = new HashSet<>();
        result.toApply().forEach(d -> toApply.add(d.queue()));
        for (ShardDecision d : result.decisions()) {
            QueueMatching.MatchedQueue q = byId.get(d.queue());
            if (!leader) {
                if (toApply.contains(d.queue())) {
                    lastActions.put(d.queue(), new ShardReport.Action(now, "not-leader", "this replica ("
                            + leadership.identity() + ") is not the leader" + (leadership.leader().isEmpty() ? ""
                            : "; " + leadership.leader() + " is") + ": it reports, the leader acts",
                            Optional.empty()));
                }
                continue;
            }
            if (!toApply.contains(d.queue())) {
                ShardActionEvents.forState(d).ifPresentOrElse(
                        e -> events.post(ShardActionEvents.involved(q.agent()), ShardActionEvents.subject(d.queue()), e.key(), e.spec(), now),
                        () -> events.post(ShardActionEvents.involved(q.agent()), ShardActionEvents.subject(d.queue()), d.state().wireName(), Optional.empty(), now));
                continue;
            }
            if (!backoff.mayTry(d.queue())) {
                lastActions.put(d.queue(), new ShardReport.Action(now, "backing-off", "last patch failed; next try in "
                        + (backoff.waiting(d.queue()) + 1) + " cycle(s)", Optional.empty()));
                continue;
            }
            QueueConfigPatcher.Result r = patcher.apply(q.agent(), q.entry(), d.current(), d.recommended());
            patchCounter(r.outcome()).increment();
            lastActions.put(d.queue(), new ShardReport.Action(now, r.outcome().wireName(), r.detail(), r.patch()));
            if (r.outcome() == QueueConfigPatcher.Outcome.PATCHED) {
                applied.add(d.queue());
                backoff.succeeded(d.queue());
            } else if (r.outcome().failed()) {
                backoff.failed(d.queue());
            }
            ShardActionEvents.Event e = ShardActionEvents.forAction(q.entry(), d, r);
            events.post(ShardActionEvents.involved(q.agent()), ShardActionEvents.subject(d.queue()), e.key(), e.spec(), now);
        }
        return applied;
    }

    private ShardReport failedReport(Instant now, long started, RuntimeException e) {
        String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        ShardReport.Cycle cycle = new ShardReport.Cycle(now, Duration.ofNanos(System.nanoTime() - started),
                Optional.of(why), Map.of(), 0);
        ShardReport previous = holder.current().orElse(null);
        if (previous == null) {
            return new ShardReport(patcher.mode().name().toLowerCase(Locale.ROOT), leadership.isLeader(),
                    leadership.identity(), leadership.leader(), cycle, Optional.ofNullable(lastGoodCycle), List.of(),
                    List.of(), List.of(), List.of());
        }
        return new ShardReport(previous.mode(), leadership.isLeader(), previous.identity(), leadership.leader(),
                cycle, Optional.ofNullable(lastGoodCycle), previous.agents(), previous.queues(), previous.unmatched(),
                previous.problems());
    }

    private final Map<List<String>, Counter> counters = new LinkedHashMap<>();

    private synchronized Counter counter(String name, String tag, String value, String help) {
        return counters.computeIfAbsent(List.of(name, tag, value),
                k -> Counter.builder(name).tag(tag, value).description(help).register(registry));
    }
}
