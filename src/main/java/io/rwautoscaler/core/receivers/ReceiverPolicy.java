package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.PromDuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The receiver scaling policy: the trigger rules, the replica bounds, what one receiver can ingest and the
 * utilization band to keep, and the resolution at which {@code for} windows are proven.
 */
public record ReceiverPolicy(List<PolicyRule> rules, ReplicaBounds bounds, ReceiverCapacity capacity,
                             Duration evaluationStep) {

    public ReceiverPolicy {
        rules = List.copyOf(rules);
        Objects.requireNonNull(bounds, "bounds");
        Objects.requireNonNull(capacity, "capacity");
        evaluationStep = evaluationStep == null ? WindowProof.DEFAULT_STEP : evaluationStep;
        if (evaluationStep.isNegative() || evaluationStep.isZero()) {
            throw new IllegalArgumentException("evaluation step must be positive, got " + evaluationStep);
        }
        Set<String> names = new HashSet<>();
        for (PolicyRule rule : rules) {
            if (!names.add(rule.name())) {
                throw new IllegalArgumentException("duplicate rule name " + rule.name());
            }
        }
    }

    /** Exactly the runbook's tables, 3–10 receivers, 3,500 samples/s per receiver, 70–80%, 30s steps. */
    public static ReceiverPolicy defaults() {
        return new ReceiverPolicy(RunbookRules.all(), ReplicaBounds.RUNBOOK, ReceiverCapacity.RUNBOOK,
                WindowProof.DEFAULT_STEP);
    }

    public Optional<PolicyRule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public WindowProof proof(PolicyRule rule) {
        return new WindowProof(rule, evaluationStep);
    }

    public List<WindowProof> proofs() {
        return rules.stream().map(this::proof).toList();
    }

    /** Receivers this load needs at the top of the band, within the replica bounds. */
    public int receiversNeeded(double samplesPerSecond) {
        return bounds.clamp(capacity.receiversFor(samplesPerSecond));
    }

    /**
     * The policy as the document {@link PolicyValidator} reads (plain maps, lists, numbers, strings),
     * so the defaults can be written out as the starting ConfigMap and read back unchanged.
     */
    public Map<String, Object> toDocument() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("minReplicas", bounds.min());
        doc.put("maxReplicas", bounds.max());
        doc.put("samplesPerSecondPerReceiver", capacity.samplesPerSecondPerReceiver());
        Map<String, Object> band = new LinkedHashMap<>();
        band.put("low", capacity.band().low());
        band.put("high", capacity.band().high());
        doc.put("targetUtilization", band);
        doc.put("evaluationStep", PromDuration.format(evaluationStep));
        List<Object> ruleDocs = new ArrayList<>();
        for (PolicyRule rule : rules) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", rule.name());
            r.put("expr", rule.expression());
            r.put("comparison", rule.comparison().symbol());
            r.put("threshold", rule.threshold());
            r.put("for", PromDuration.format(rule.forDuration()));
            r.put("action", rule.action().name());
            r.put("target", rule.targetText());
            ruleDocs.add(r);
        }
        doc.put("rules", ruleDocs);
        return doc;
    }
}
