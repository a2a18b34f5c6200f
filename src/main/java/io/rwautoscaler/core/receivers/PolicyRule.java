package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.Figures;

import io.rwautoscaler.core.model.PromDuration;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the runbook's trigger table: "EXPRESSION COMPARISON THRESHOLD held for FOR → ACTION on TARGET".
 * The threshold is in the expression's own unit (the default utilization expressions return ratios 0–1).
 *
 * @param forDuration how long the condition must have held at every evaluation step before the rule fires;
 *                    zero means the current value alone decides
 */
public record PolicyRule(String name, String expression, Comparison comparison, double threshold,
                         Duration forDuration, RuleAction action, ObjectRef target) {

    /** Workload kinds a rule may target; pods and services are not scaled. */
    public static final List<ResourceKind> TARGET_KINDS =
            List.of(ResourceKind.STATEFULSETS, ResourceKind.DEPLOYMENTS, ResourceKind.DAEMONSETS);

    public PolicyRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        forDuration = forDuration == null ? Duration.ZERO : forDuration;
        // YAML block scalars (expr: |) end with a newline; it must not reach the rendered subquery.
        expression = expression.strip();
        if (name.isBlank()) {
            throw new IllegalArgumentException("rule name is blank");
        }
        if (expression.isEmpty()) {
            throw new IllegalArgumentException("rule " + name + ": expression is empty");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("rule " + name + ": threshold is not finite: " + threshold);
        }
        if (forDuration.isNegative()) {
            throw new IllegalArgumentException("rule " + name + ": negative for: " + forDuration);
        }
    }

    public ScalingDirection direction() {
        return action.direction();
    }

    public boolean holds(double value) {
        return comparison.holds(value, threshold);
    }

    /** {@code > 5000 for 15m}, as the runbook writes it. */
    public String condition() {
        String base = comparison.symbol() + " " + Figures.readable(threshold);
        return forDuration.isZero() ? base : base + " for " + PromDuration.format(forDuration);
    }

    /** The target as policy files spell it: {@code statefulset/monitoring/thanos-receive}. */
    public String targetText() {
        return target.kind().singular() + "/" + target.namespace() + "/" + target.name();
    }

    /**
     * Parses {@code KIND/NAMESPACE/NAME}; KIND may be singular or plural, with or without its group
     * ({@code statefulset}, {@code statefulsets.apps}). Empty when malformed or not a workload kind.
     */
    public static Optional<ObjectRef> parseTarget(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 3 || !isDnsName(parts[1]) || !isDnsName(parts[2])) {
            return Optional.empty();
        }
        return ResourceKind.fromPath(parts[0])
                .filter(TARGET_KINDS::contains)
                .map(kind -> new ObjectRef(kind, parts[1], parts[2]));
    }

    // Namespaces and workload names are DNS-1123 labels/subdomains; a typo like "thanos_receive" never matches anything.
    private static boolean isDnsName(String s) {
        return s.length() <= 253 && s.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    }
}
