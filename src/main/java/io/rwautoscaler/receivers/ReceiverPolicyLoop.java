package io.rwautoscaler.receivers;

import io.rwautoscaler.core.receivers.ActionResult;

import io.rwautoscaler.core.receivers.RuleAction;

import io.rwautoscaler.prometheus.Prometheus;

import io.rwautoscaler.runtime.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.rwautoscaler.config.ReceiverPolicyConfig;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.core.receivers.PolicyRule;
import io.rwautoscaler.core.receivers.ReceiverFleet;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.RuleEvaluation;
import io.rwautoscaler.core.receivers.RuleHoldHistory;
import io.rwautoscaler.core.receivers.ScalingDecision;
import io.rwautoscaler.prometheus.PrometheusException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The receiver policy loop, every {@code autoscaler.policy.every}: reload the policy if its file changed,
 * observe (window proofs, the StatefulSet, samples/s), decide ({@link ScalingDecision}), act (recommend or
 * apply), and publish the cycle for {@code /api/v1/receivers} and the gauges.
 */
@io.quarkus.runtime.Startup // its series exist from start-up
@ApplicationScoped
public class ReceiverPolicyLoop {

    private static final Logger LOG = Logger.getLogger(ReceiverPolicyLoop.class);

    private final ReceiverPolicyConfig config;
    private final Prometheus prometheus;
    private final ReceiverPolicySource source;
    private final RuleObserver observer;
    private final ReceiverFleetSource fleetSource;
    private final ReceiverActions actions;
    private final Leadership leadership;
    private final ReceiverStatusHolder holder;
    private final Event<ReceiverCycle> cycles;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter loadErrors;

    private ReceiverPolicy lastPolicy;
    private RuleHoldHistory history = RuleHoldHistory.empty();

    @Inject
    public ReceiverPolicyLoop(ReceiverPolicyConfig config, Prometheus prometheus, ReceiverFleetSource fleetSource,
                              ReceiverActions actions, Leadership leadership, ReceiverStatusHolder holder,
                              Event<ReceiverCycle> cycles, Clock clock, MeterRegistry registry) {
        this.config = config;
        this.prometheus = prometheus;
        this.source = new ReceiverPolicySource(config.file(), config.checkQueries(), prometheus);
        this.observer = new RuleObserver(prometheus);
        this.fleetSource = fleetSource;
        this.actions = actions;
        this.leadership = leadership;
        this.holder = holder;
        this.cycles = cycles;
        this.clock = clock;
        this.registry = registry;
        this.loadErrors = Counter.builder("rwa_receiver_policy_load_errors")
                .description("Policy file contents rejected (bad YAML, invalid rules, PromQL Prometheus rejects); the previous policy stays")
                .register(registry);
        // Every documented series exists from start-up at 0 (issue 14 item 5): increase() then sees the first one.
        for (RuleAction action : RuleAction.values()) {
            for (ActionResult result : ActionResult.values()) {
                actionCounter(action, result);
            }
        }
        cycleTimer();
    }

    private Counter actionCounter(RuleAction action, ActionResult result) {
        return registry.counter("rwa_receiver_actions", "action", action.name(), "result", result.name());
    }

    private Timer cycleTimer() {
        return Timer.builder("rwa_receiver_policy_cycle_duration").description("Time of one receiver policy cycle")
                .register(registry);
    }

    @Scheduled(every = "${autoscaler.policy.every:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "receiver-policy", delayed = "${autoscaler.scheduler.first-delay:5s}", skipExecutionIf = PolicyLoopDisabled.class)
    void scheduled() {
        runOnce(clock.instant());
    }

    /** One cycle at {@code now} (every query is evaluated at that instant); tests call it directly. Never throws. */
    public synchronized ReceiverCycle runOnce(Instant now) {
        Timer.Sample timer = Timer.start(registry);
        long started = System.nanoTime();
        ReceiverPolicySource.State policyState = source.refresh(now);
        if (policyState.change() == ReceiverPolicySource.Change.REJECTED) {
            loadErrors.increment();
        }
        ReceiverPolicy policy = policyState.policy();

        RuleObserver.Observed observed = observer.observe(policy, now);
        RuleEvaluation evaluation = RuleEvaluation.evaluate(policy, observed.observations(), carriedHistory(policy), now);
        history = evaluation.history();
        lastPolicy = policy;

        ReceiverFleetSource.Observation fleet;
        try {
            fleet = fleetSource.observe(now);
        } catch (RuntimeException e) {
            fleet = ReceiverFleetSource.Observation.missing("?", "cannot observe the StatefulSet: " + e.getMessage());
        }
        Map<String, String> samplesProblem = new HashMap<>();
        OptionalDouble samples = samplesPerSecond(now, samplesProblem);
        FailingQueues failing = FailingQueues.observe(prometheus, now);

        boolean leader = leadership.isLeader();
        Optional<ScalingDecision> decision = Optional.empty();
        Optional<String> noDecision = Optional.empty();
        List<ActionOutcome> outcomes = List.of();
        if (fleet.found()) {
            ScalingDecision d = ScalingDecision.decide(policy, evaluation,
                    new ReceiverFleet(fleet.replicas().get(), fleet.hpaOwned(), samples));
            decision = Optional.of(d);
            Optional<String> refusal = policyState.actingAllowed() ? Optional.empty()
                    : Optional.of("the policy file has not validated since start-up: the built-in defaults stand in for it"
                    + " and nothing is applied until it does (" + policyState.lastError().orElse("") + ")");
            try {
                outcomes = actions.act(d, new ReceiverActions.Context(config.mode() == ReceiverPolicyConfig.Mode.APPLY,
                        leader, refusal, now));
            } catch (RuntimeException e) {
                LOG.warnf("acting on the receiver decision failed: %s", e.toString());
                noDecision = Optional.of("acting failed: " + e);
            }
            outcomes.forEach(o -> actionCounter(o.action(), o.result()).increment());
        } else {
            noDecision = Optional.of("no decision: " + fleet.problem().orElse("the receive StatefulSet is unknown"));
        }

        ReceiverCycle cycle = new ReceiverCycle(now, Duration.ofNanos(System.nanoTime() - started), config.mode(), leader,
                policyState, fleet, samples, Optional.ofNullable(samplesProblem.get("error")), evaluation,
                observed.errors(), observed.queries() + 2, failing, decision, noDecision, outcomes);
        timer.stop(cycleTimer());
        holder.publish(cycle);
        cycles.fire(cycle);
        return cycle;
    }

    /**
     * The hold history survives a policy reload only for rules that did not change: a new threshold or
     * expression starts its own count.
     */
    private RuleHoldHistory carriedHistory(ReceiverPolicy policy) {
        if (lastPolicy == null || lastPolicy.equals(policy)) {
            return history;
        }
        Map<String, java.time.Instant> kept = new HashMap<>();
        for (PolicyRule rule : policy.rules()) {
            Optional<PolicyRule> before = lastPolicy.rule(rule.name());
            if (before.isPresent() && before.get().equals(rule) && lastPolicy.evaluationStep().equals(policy.evaluationStep())) {
                history.since(rule.name()).ifPresent(since -> kept.put(rule.name(), since));
            }
        }
        return new RuleHoldHistory(kept);
    }

    private OptionalDouble samplesPerSecond(Instant now, Map<String, String> problem) {
        try {
            List<Sample> vector = prometheus.query(config.samplesQuery(), now).vector();
            if (vector.size() != 1) {
                problem.put("error", config.samplesQuery() + " returned " + vector.size() + " series; it must return one"
                        + " (autoscaler.policy.samples-query)");
                return OptionalDouble.empty();
            }
            double v = vector.get(0).value();
            if (!Double.isFinite(v) || v < 0) {
                problem.put("error", config.samplesQuery() + " returned " + v);
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(v);
        } catch (PrometheusException e) {
            problem.put("error", e.getMessage());
            return OptionalDouble.empty();
        }
    }

    /** {@code autoscaler.policy.enabled=false} turns the scheduled cycle off; no cycle runs before start-up completes. */
    @jakarta.inject.Singleton
    public static class PolicyLoopDisabled implements Scheduled.SkipPredicate {
        @Inject
        ReceiverPolicyConfig config;
        @Inject
        Scheduled.ApplicationNotRunning notRunning;

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !config.enabled() || notRunning.test(execution);
        }
    }
}
