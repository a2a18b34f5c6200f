package io.rwautoscaler.receivers;

import io.rwautoscaler.prometheus.Prometheus;

import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.core.model.WindowCoverage;
import io.rwautoscaler.core.receivers.PolicyRule;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.RuleObservation;
import io.rwautoscaler.core.receivers.WindowExtreme;
import io.rwautoscaler.core.receivers.WindowProof;
import io.rwautoscaler.prometheus.PrometheusException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Observe step of the receiver loop: for every rule, its window proof (one query per extreme the comparison
 * needs, e.g. {@code min_over_time((EXPR)[10m:30s])}) and its current value, all evaluated at the cycle's
 * instant. A query text shared by several rules (the CPU expression of the high and the low rule) runs once.
 *
 * <p>A rule's expression must return one series. No series, NaN, an error, or several series all mean "no
 * data" for that rule (UNKNOWN, never fine), with the reason kept for the report.
 */
public final class RuleObserver {

    /**
     * @param errors  why a rule has no (complete) data, by rule name
     * @param queries how many queries this cycle sent
     */
    public record Observed(Map<String, RuleObservation> observations, Map<String, String> errors, int queries) {
        public Observed {
            observations = Map.copyOf(observations);
            errors = java.util.Collections.unmodifiableMap(new TreeMap<>(errors));
        }
    }

    private final Prometheus prometheus;

    public RuleObserver(Prometheus prometheus) {
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
    }

    public Observed observe(ReceiverPolicy policy, Instant now) {
        Map<String, Answer> answers = new HashMap<>();
        Map<String, RuleObservation> observations = new HashMap<>();
        Map<String, String> errors = new HashMap<>();
        for (PolicyRule rule : policy.rules()) {
            WindowProof proof = policy.proof(rule);
            Map<WindowExtreme, String> queries = proof.queries();
            OptionalDouble min = OptionalDouble.empty();
            OptionalDouble max = OptionalDouble.empty();
            for (Map.Entry<WindowExtreme, String> q : queries.entrySet()) {
                Answer a = answers.computeIfAbsent(q.getValue(), text -> ask(text, now));
                a.error().ifPresent(e -> errors.putIfAbsent(rule.name(), e));
                if (q.getKey() == WindowExtreme.MIN) {
                    min = a.value();
                } else {
                    max = a.value();
                }
            }
            Answer instant = answers.computeIfAbsent(proof.instantQuery(), text -> ask(text, now));
            instant.error().ifPresent(e -> errors.putIfAbsent(rule.name(), e));
            // No count (an error, no series) is zero coverage: the window is not proven, the rule stays UNKNOWN.
            Optional<WindowCoverage> coverage = proof.coverageQuery().map(text -> proof.coverage(
                    answers.computeIfAbsent(text, t -> ask(t, now)).value().orElse(0)));
            observations.put(rule.name(), new RuleObservation(proof.provenValue(min, max), instant.value(), coverage));
        }
        return new Observed(observations, errors, answers.size());
    }

    private Answer ask(String query, Instant now) {
        List<Sample> vector;
        try {
            vector = prometheus.query(query, now).vector();
        } catch (PrometheusException e) {
            return new Answer(OptionalDouble.empty(), java.util.Optional.of(e.reason() + ": " + e.getMessage()));
        }
        if (vector.isEmpty()) {
            return new Answer(OptionalDouble.empty(), java.util.Optional.of("no data: " + query + " returned no series"));
        }
        if (vector.size() > 1) {
            return new Answer(OptionalDouble.empty(), java.util.Optional.of(query + " returned " + vector.size()
                    + " series; a rule needs one value: aggregate the expression (max(...), avg(...), sum(...))"));
        }
        double v = vector.get(0).value();
        if (!Double.isFinite(v)) {
            return new Answer(OptionalDouble.empty(), java.util.Optional.of("no data: " + query + " returned " + v));
        }
        return new Answer(OptionalDouble.of(v), java.util.Optional.empty());
    }

    private record Answer(OptionalDouble value, java.util.Optional<String> error) {
    }
}
