package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.Figures;

import io.rwautoscaler.core.model.PromDuration;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The queries that prove a rule's condition held at every step of its {@code for} window, not just at one
 * sample: {@code > 5000 for 15m} becomes {@code min_over_time((EXPR)[15m:30s]) > 5000}.
 * The I/O layer runs {@link #queries()} and hands the results to {@link #provenValue}.
 *
 * @param step the subquery resolution; a window shorter than the step is sampled at its own length
 */
public record WindowProof(PolicyRule rule, Duration step) {

    public static final Duration DEFAULT_STEP = Duration.ofSeconds(30);

    public WindowProof {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(step, "step");
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
    }

    /**
     * {@code FUNCTION((EXPR)[WINDOW:STEP])}; the parentheses keep the subquery range on the whole expression
     * ({@code a / b[15m:30s]} would apply it to {@code b} only). A zero window is the expression itself.
     */
    public static String render(String expression, WindowExtreme extreme, Duration window, Duration step) {
        if (window.isZero()) {
            return "(" + expression + ")";
        }
        Duration resolution = step.compareTo(window) > 0 ? window : step;
        return extreme.promqlFunction() + "((" + expression + ")[" + PromDuration.format(window) + ":"
                + PromDuration.format(resolution) + "])";
    }

    /** One query per extreme the comparison needs (MIN for above, MAX for below, both for == and !=). */
    public Map<WindowExtreme, String> queries() {
        Map<WindowExtreme, String> out = new EnumMap<>(WindowExtreme.class);
        for (WindowExtreme extreme : rule.comparison().proofExtremes()) {
            out.put(extreme, render(rule.expression(), extreme, rule.forDuration(), step));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * {@code count_over_time((EXPR)[WINDOW:STEP])}: how many of the window's steps had data, read as a
     * {@link io.rwautoscaler.core.model.WindowCoverage#fromPoints}. Empty for a zero window (nothing to cover).
     */
    public java.util.Optional<String> coverageQuery() {
        if (rule.forDuration().isZero()) {
            return java.util.Optional.empty();
        }
        Duration resolution = step.compareTo(rule.forDuration()) > 0 ? rule.forDuration() : step;
        return java.util.Optional.of("count_over_time((" + rule.expression() + ")[" + PromDuration.format(rule.forDuration())
                + ":" + PromDuration.format(resolution) + "])");
    }

    /** How much of the window {@code points} cover (the answer of {@link #coverageQuery()}). */
    public io.rwautoscaler.core.model.WindowCoverage coverage(double points) {
        return io.rwautoscaler.core.model.WindowCoverage.fromPoints(rule.forDuration(), step, points);
    }

    /** The expression at this instant: what the report shows as the current value. */
    public String instantQuery() {
        return rule.expression();
    }

    /**
     * The whole proof as one PromQL filter, non-empty exactly when the rule fires; for alerting-rule parity
     * and end-to-end checks. {@code !=} is proven by the whole window lying on one side of the threshold.
     */
    public String conditionQuery() {
        String t = Figures.promql(rule.threshold());
        Map<WindowExtreme, String> q = queries();
        return switch (rule.comparison()) {
            case GREATER, GREATER_OR_EQUAL -> q.get(WindowExtreme.MIN) + " " + rule.comparison().symbol() + " " + t;
            case LESS, LESS_OR_EQUAL -> q.get(WindowExtreme.MAX) + " " + rule.comparison().symbol() + " " + t;
            case EQUAL -> "(" + q.get(WindowExtreme.MIN) + " == " + t + ") and (" + q.get(WindowExtreme.MAX) + " == " + t + ")";
            case NOT_EQUAL -> "(" + q.get(WindowExtreme.MIN) + " > " + t + ") or (" + q.get(WindowExtreme.MAX) + " < " + t + ")";
        };
    }

    /**
     * The one value that decides the rule, from the window's extremes: it satisfies the comparison exactly
     * when every point of the window did. Empty when a needed extreme is missing (no data: UNKNOWN).
     * <ul>
     * <li>{@code >}/{@code >=}: the minimum; {@code <}/{@code <=}: the maximum.</li>
     * <li>{@code ==}: the threshold when both extremes equal it, else the extreme farthest from it.</li>
     * <li>{@code !=}: the extreme on the far side when the whole window lies on one side; otherwise the
     *     threshold itself, because extremes cannot prove that no point equalled it (conservative).</li>
     * </ul>
     */
    public OptionalDouble provenValue(OptionalDouble windowMin, OptionalDouble windowMax) {
        double t = rule.threshold();
        switch (rule.comparison()) {
            case GREATER, GREATER_OR_EQUAL:
                return finite(windowMin);
            case LESS, LESS_OR_EQUAL:
                return finite(windowMax);
            default:
                break;
        }
        OptionalDouble min = finite(windowMin);
        OptionalDouble max = finite(windowMax);
        if (min.isEmpty() || max.isEmpty()) {
            return OptionalDouble.empty();
        }
        double lo = min.getAsDouble();
        double hi = max.getAsDouble();
        if (rule.comparison() == Comparison.EQUAL) {
            if (lo == t && hi == t) {
                return OptionalDouble.of(t);
            }
            return OptionalDouble.of(Math.abs(hi - t) >= Math.abs(t - lo) ? hi : lo);
        }
        if (lo > t) {
            return OptionalDouble.of(lo);
        }
        if (hi < t) {
            return OptionalDouble.of(hi);
        }
        return OptionalDouble.of(t);
    }

    private static OptionalDouble finite(OptionalDouble value) {
        return value.isPresent() && Double.isFinite(value.getAsDouble()) ? value : OptionalDouble.empty();
    }

    @Override
    public String toString() {
        return rule.name() + ": " + queries().values().stream().collect(Collectors.joining(" ; "));
    }
}
