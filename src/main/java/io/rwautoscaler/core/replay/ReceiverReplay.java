package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.model.WindowCoverage;
import io.rwautoscaler.core.receivers.PolicyRule;
import io.rwautoscaler.core.receivers.ReceiverFleet;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.ReceiverRecommendation;
import io.rwautoscaler.core.receivers.RuleAction;
import io.rwautoscaler.core.receivers.RuleEvaluation;
import io.rwautoscaler.core.receivers.RuleHoldHistory;
import io.rwautoscaler.core.receivers.RuleObservation;
import io.rwautoscaler.core.receivers.RuleStatus;
import io.rwautoscaler.core.receivers.ScalingDecision;
import io.rwautoscaler.core.receivers.WindowProof;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The receiver policy replayed step by step with the live decision code ({@link RuleEvaluation},
 * {@link ScalingDecision}), on a virtual fleet that follows its own decisions: every rule window is proven over
 * the fine grid exactly as the live subquery does ({@code min_over_time((EXPR)[10m:30s])}), but with each point of
 * a per-receiver figure rescaled by the replicas the cluster had at that point ÷ the replicas the replay had then,
 * so the load is conserved and a scale-out during a surge shows in the figures that follow it.
 */
final class ReceiverReplay {

    private final ReceiverPolicy policy;
    private final Duration cooldown;
    private final ReceiverHistory history;
    private final Grid fine;
    private final List<PolicyRule> rules;
    private final double[][] ruleSeries;
    private final boolean[] perReceiver;
    private final long fromMillis;
    /** Replicas the replay ran at each fine point; 0 = before the replay (the real fleet: no rescaling). */
    private final int[] virtualAt;
    private int filled = -1;
    private int virtual;
    private Instant lastChange;
    private RuleHoldHistory holds = RuleHoldHistory.empty();
    private Set<String> previousKeys = Set.of();
    /** Per rule, the value at the last step as the replay saw it, and as history recorded it. */
    final double[] seen;
    final double[] recorded;
    double recordedNow = Double.NaN;
    double samplesNow = Double.NaN;

    ReceiverReplay(ReplaySettings settings, ReceiverHistory history, ReplayWindow window, List<String> notes) {
        this.policy = settings.receiverPolicy();
        this.cooldown = settings.receiverCooldown();
        this.history = history;
        this.fine = history.grid();
        this.rules = policy.rules();
        this.ruleSeries = new double[rules.size()][];
        this.perReceiver = new boolean[rules.size()];
        this.seen = new double[rules.size()];
        this.recorded = new double[rules.size()];
        this.fromMillis = window.from().toEpochMilli();
        for (int j = 0; j < rules.size(); j++) {
            PolicyRule rule = rules.get(j);
            ruleSeries[j] = history.byExpression().get(rule.expression());
            perReceiver[j] = settings.perReceiverRules().contains(rule.name());
            if (ruleSeries[j] == null) {
                notes.add("rule " + rule.name() + " has no data in the window"
                        + (history.errors().containsKey(rule.expression()) ? ": " + history.errors().get(rule.expression()) : "")
                        + "; it is UNKNOWN at every step, as live would show it");
            }
        }
        this.virtualAt = new int[fine.size()];
        this.virtual = initialReplicas(window, notes);
    }

    private int initialReplicas(ReplayWindow window, List<String> notes) {
        double[] recorded = history.recordedReplicas();
        int start = Math.max(0, fine.atOrBefore(window.from().toEpochMilli()));
        for (int k = start; k < recorded.length; k++) {
            if (Double.isFinite(recorded[k]) && recorded[k] >= 1) {
                if (k != start) {
                    notes.add("the real replicas are unknown at the start; the replayed fleet starts from the first"
                            + " known value, " + Math.round(recorded[k]) + ", seen at " + fine.instant(k));
                }
                return (int) Math.round(recorded[k]);
            }
        }
        notes.add("the real replicas (kube_statefulset_replicas) are unknown throughout: the replayed fleet starts at"
                + " the policy's minimum, " + policy.bounds().min() + ", and per-receiver figures are not rescaled");
        return policy.bounds().min();
    }

    int initial() {
        return virtual;
    }

    int replicas() {
        return virtual;
    }

    /** Recorded ÷ replayed replicas at a fine point: 1 before the replay, or where the real replicas are unknown. */
    double factor(int k) {
        double recorded = history.recordedReplicas()[k];
        int v = virtualAt[k];
        return v > 0 && Double.isFinite(recorded) && recorded > 0 ? recorded / v : 1.0;
    }

    /** The factor at the last step's instant. */
    double factorNow(Instant at) {
        int idx = fine.atOrBefore(at.toEpochMilli());
        return idx < 0 ? 1.0 : factor(idx);
    }

    private double value(int rule, int k) {
        double raw = ruleSeries[rule][k];
        return perReceiver[rule] ? raw * factor(k) : raw;
    }

    /** Decides at {@code at}; adds the decisions that are new (or acted on) to {@code out}. */
    void step(Instant at, List<ReplayDecision> out) {
        long now = at.toEpochMilli();
        int idx = fine.atOrBefore(now);
        for (int k = filled + 1; k <= idx; k++) {
            virtualAt[k] = fine.millis(k) < fromMillis ? 0 : virtual;
        }
        filled = Math.max(filled, idx);
        recordedNow = idx < 0 ? Double.NaN : history.recordedReplicas()[idx];
        samplesNow = idx < 0 ? Double.NaN : history.samplesPerSecond()[idx];

        Map<String, RuleObservation> observations = new HashMap<>();
        for (int j = 0; j < rules.size(); j++) {
            PolicyRule rule = rules.get(j);
            if (ruleSeries[j] == null || idx < 0) {
                seen[j] = Double.NaN;
                recorded[j] = Double.NaN;
                continue;
            }
            int lo = fine.atOrAfter(now - rule.forDuration().toMillis());
            double min = Double.NaN;
            double max = Double.NaN;
            int points = 0;
            for (int k = lo; k <= idx; k++) {
                double v = value(j, k);
                if (Double.isNaN(v)) {
                    continue;
                }
                points++;
                min = Double.isNaN(min) || v < min ? v : min;
                max = Double.isNaN(max) || v > max ? v : max;
            }
            WindowProof proof = policy.proof(rule);
            double instant = value(j, idx);
            seen[j] = instant;
            recorded[j] = ruleSeries[j][idx];
            // The one "held for": the window's points counted as live counts them (count_over_time of the proof's
            // subquery), read by WindowCoverage: a window the data does not cover is UNKNOWN, never FIRING.
            Optional<WindowCoverage> coverage = rule.forDuration().isZero() ? Optional.empty()
                    : Optional.of(WindowCoverage.fromPoints(rule.forDuration(), fine.step(), points));
            observations.put(rule.name(), new RuleObservation(proof.provenValue(opt(min), opt(max)), opt(instant),
                    coverage));
        }
        RuleEvaluation evaluation = RuleEvaluation.evaluate(policy, observations, holds, at);
        holds = evaluation.history();
        ScalingDecision decision = ScalingDecision.decide(policy, evaluation,
                new ReceiverFleet(virtual, false, opt(samplesNow)));

        Set<String> keys = new HashSet<>();
        for (ReceiverRecommendation r : decision.recommendations()) {
            String key = r.action() + " " + r.target() + " " + r.recommendedReplicas();
            keys.add(key);
            ReplayOutcome outcome;
            String why;
            int before = virtual;
            if (r.recommendedReplicas().isPresent()) {
                if (lastChange != null && at.isBefore(lastChange.plus(cooldown))) {
                    outcome = ReplayOutcome.COOLDOWN;
                    why = "the replicas changed at " + lastChange + ", less than the cooldown ("
                            + io.rwautoscaler.core.model.PromDuration.format(cooldown) + ") before: apply mode"
                            + " would have waited until " + lastChange.plus(cooldown);
                } else {
                    outcome = ReplayOutcome.APPLIED;
                    why = "apply mode, as the leader, would have patched the StatefulSet's replicas (no HPA in the"
                            + " replay, cooldown passed); the replayed fleet follows";
                    virtual = r.recommendedReplicas().getAsInt();
                    lastChange = at;
                }
            } else if (r.action() == RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION) {
                outcome = ReplayOutcome.REPORT_ONLY;
                why = "apply mode expands a PVC only where its StorageClass allows volume expansion, which history"
                        + " does not show; check it before relying on this";
            } else {
                outcome = ReplayOutcome.REPORT_ONLY;
                why = r.action() == RuleAction.ADD_AGENT_SHARDS || r.action() == RuleAction.REMOVE_AGENT_SHARDS
                        ? "the receiver policy only reports agent shards: the shard tuner owns them"
                        : "the receiver policy only reports memory: the right-sizing report owns it";
            }
            if (outcome != ReplayOutcome.APPLIED && previousKeys.contains(key)) {
                continue;
            }
            out.add(new ReplayDecision(at, ReplayDecision.RECEIVERS, r.target().kind().singular() + "/"
                    + r.target().namespace() + "/" + r.target().name(), r.action().name(), amount(r, before),
                    r.firedBy(), figures(evaluation, r, before), r.reason(), outcome, why));
        }
        previousKeys = keys;
    }

    private String amount(ReceiverRecommendation r, int before) {
        if (r.recommendedReplicas().isPresent()) {
            return "replicas " + before + " → " + r.recommendedReplicas().getAsInt();
        }
        return r.action().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private Map<String, Double> figures(RuleEvaluation evaluation, ReceiverRecommendation r, int before) {
        Map<String, Double> f = new LinkedHashMap<>();
        for (String name : r.firedBy()) {
            evaluation.status(name).ifPresent((RuleStatus s) -> {
                s.provenValue().ifPresent(v -> f.put(name, v));
                s.currentValue().ifPresent(v -> f.put(name + ":now", v));
            });
        }
        if (Double.isFinite(samplesNow)) {
            f.put("samples_per_second", samplesNow);
        }
        f.put("replayed_replicas", (double) before);
        if (Double.isFinite(recordedNow)) {
            f.put("recorded_replicas", recordedNow);
        }
        return f;
    }

    private static OptionalDouble opt(double v) {
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    boolean perReceiver(int rule) {
        return perReceiver[rule];
    }

    List<PolicyRule> rules() {
        return new ArrayList<>(rules);
    }
}
