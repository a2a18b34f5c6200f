package io.rwautoscaler.receivers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rwautoscaler.core.receivers.RuleAction;
import io.rwautoscaler.core.receivers.RuleState;
import io.rwautoscaler.core.receivers.RuleStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus gauges of the receiver policy, updated after each cycle: per rule its current value
 * ({@code rwa_receiver_rule_value}, NaN without data) and whether it fires ({@code rwa_receiver_rule_firing}:
 * 1 firing, 0 not, -1 unknown); the replicas recommended; the policy's validity; the hashring's state, and how
 * often a write was refused because another controller manages the ConfigMap.
 * Gauges of rules a reloaded policy no longer has are removed.
 */
@io.quarkus.runtime.Startup // the gauges exist from start-up (NaN / -1 until known), not from the first cycle
@ApplicationScoped
public class ReceiverGauges {

    private final MeterRegistry registry;
    private final Map<String, Gauge[]> ruleGauges = new ConcurrentHashMap<>();
    private final Map<String, double[]> ruleValues = new ConcurrentHashMap<>();
    private final AtomicReference<double[]> cycleFigures = new AtomicReference<>(new double[]{Double.NaN, Double.NaN, Double.NaN});
    private final AtomicReference<double[]> hashring = new AtomicReference<>(new double[]{-1, Double.NaN});
    private final Counter takeOverRefusals;

    @Inject
    public ReceiverGauges(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("rwa_receiver_recommended_replicas", cycleFigures, f -> f.get()[0])
                .description("Receiver replicas the policy recommends (the current count when no change is recommended; NaN when unknown)")
                .register(registry);
        Gauge.builder("rwa_receiver_replicas", cycleFigures, f -> f.get()[1])
                .description("Desired replicas of the receive StatefulSet as last observed (NaN when not found)")
                .register(registry);
        Gauge.builder("rwa_receiver_policy_valid", cycleFigures, f -> f.get()[2])
                .description("1 when the configured policy (file or defaults) is in force at its latest content, 0 when a previous one stands in")
                .register(registry);
        Gauge.builder("rwa_receiver_hashring_in_sync", hashring, h -> h.get()[0])
                .description("1 when the hashring ConfigMap lists exactly the ready receivers, 0 when not, -1 when unknown")
                .register(registry);
        Gauge.builder("rwa_receiver_hashring_endpoints", hashring, h -> h.get()[1])
                .description("Endpoints the hashring should list (the receive StatefulSet's ready pods)")
                .register(registry);
        takeOverRefusals = Counter.builder("rwa_receiver_hashring_take_over_refusals")
                .description("Hashring syncs that left the ConfigMap unwritten because another controller manages it"
                        + " (autoscaler.receivers.hashring.take-over=false)")
                .register(registry);
    }

    void onCycle(@Observes ReceiverCycle cycle) {
        Set<String> seen = new HashSet<>();
        for (RuleStatus s : cycle.evaluation().statuses()) {
            seen.add(s.name());
            double[] values = ruleValues.computeIfAbsent(s.name(), this::register);
            values[0] = s.currentValue().orElse(Double.NaN);
            values[1] = s.state() == RuleState.FIRING ? 1 : s.state() == RuleState.NOT_FIRING ? 0 : -1;
        }
        for (String gone : Set.copyOf(ruleGauges.keySet())) {
            if (!seen.contains(gone)) {
                for (Gauge g : ruleGauges.remove(gone)) {
                    registry.remove(g);
                }
                ruleValues.remove(gone);
            }
        }
        double current = cycle.fleet().replicas().map(Integer::doubleValue).orElse(Double.NaN);
        double recommended = cycle.decision().flatMap(d -> d.recommendations().stream()
                        .filter(r -> r.action() == RuleAction.ADD_RECEIVERS || r.action() == RuleAction.REMOVE_RECEIVERS)
                        .filter(r -> r.recommendedReplicas().isPresent())
                        .map(r -> (double) r.recommendedReplicas().getAsInt()).findFirst())
                .orElse(current);
        cycleFigures.set(new double[]{recommended, current, cycle.policy().valid() ? 1 : 0});
    }

    void onHashring(@Observes HashringStatus status) {
        if (status.outcome() == io.rwautoscaler.core.receivers.HashringOutcome.REFUSED_OTHER_CONTROLLER) {
            takeOverRefusals.increment();
        }
        hashring.set(new double[]{status.inSync().map(b -> b ? 1.0 : 0.0).orElse(-1.0),
                status.managed() ? status.desiredEndpoints().size() : Double.NaN});
    }

    private double[] register(String rule) {
        double[] values = {Double.NaN, -1};
        ruleGauges.put(rule, new Gauge[]{
                Gauge.builder("rwa_receiver_rule_value", values, v -> v[0])
                        .description("A receiver policy rule's expression now (NaN without data)")
                        .tag("rule", rule).register(registry),
                Gauge.builder("rwa_receiver_rule_firing", values, v -> v[1])
                        .description("1 when the rule fires (its condition held for the whole window), 0 when not, -1 when unknown (no data)")
                        .tag("rule", rule).register(registry)});
        return values;
    }
}
