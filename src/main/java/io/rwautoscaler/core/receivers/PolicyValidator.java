package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.Figures;

import io.rwautoscaler.core.model.PromDuration;

import io.rwautoscaler.core.model.ObjectRef;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a policy document as a YAML parser hands it over (maps, lists, numbers, strings) into a
 * {@link ReceiverPolicy}, or into the list of everything wrong with it. Never throws on user input.
 *
 * <pre>
 * minReplicas: 3                      # optional, default 3
 * maxReplicas: 10                     # optional, default 10
 * samplesPerSecondPerReceiver: 3500   # optional, default 3500
 * targetUtilization: {low: 0.7, high: 0.8}   # optional, ratios
 * evaluationStep: 30s                 # optional, subquery resolution of the for windows
 * rules:                              # required
 *   - name: receiver-cpu-high
 *     expr: avg(...)
 *     comparison: "&gt;"                 # &gt; &gt;= &lt; &lt;= == !=
 *     threshold: 0.8                  # a number in the expression's unit
 *     for: 10m                        # optional, Prometheus duration, default 0
 *     action: ADD_RECEIVERS
 *     target: statefulset/monitoring/thanos-receive
 * </pre>
 *
 * Decisions: thresholds and utilizations are numbers only; {@code "80%"} is rejected with the hint to write
 * {@code 0.8}, because whether 80% means 0.8 or 80 depends on the expression's unit, which only its author
 * knows. Unknown fields are errors, so a misspelt {@code threshhold} cannot silently fall back to a default.
 * Two rules on the same target and expression whose conditions can hold at once are an error when their
 * actions oppose (add vs remove on one lever: the scale-in rule could never act, it is almost always a
 * flipped comparison) and a warning when the action is the same (redundant). PromQL syntax is checked by
 * the I/O layer against Prometheus, not here.
 */
public final class PolicyValidator {

    static final List<String> POLICY_FIELDS = List.of(
            "minReplicas", "maxReplicas", "samplesPerSecondPerReceiver", "targetUtilization", "evaluationStep", "rules");
    static final List<String> RULE_FIELDS = List.of("name", "expr", "comparison", "threshold", "for", "action", "target");
    static final List<String> BAND_FIELDS = List.of("low", "high");

    private final List<PolicyProblem> problems = new ArrayList<>();

    private PolicyValidator() {
    }

    public static PolicyValidation validate(Map<String, ?> document) {
        return new PolicyValidator().read(document);
    }

    private PolicyValidation read(Map<String, ?> document) {
        if (document == null) {
            problems.add(PolicyProblem.error("", "", "the policy document is empty"));
            return invalid();
        }
        unknownFields(document, POLICY_FIELDS, "");

        OptionalInt min = wholeNumber(document, "minReplicas", ReplicaBounds.RUNBOOK.min());
        OptionalInt max = wholeNumber(document, "maxReplicas", ReplicaBounds.RUNBOOK.max());
        Optional<ReplicaBounds> bounds = Optional.empty();
        if (min.isPresent() && max.isPresent()) {
            if (min.getAsInt() < 1) {
                problems.add(PolicyProblem.error("", "minReplicas", "must be at least 1, got " + min.getAsInt()));
            } else if (max.getAsInt() < min.getAsInt()) {
                problems.add(PolicyProblem.error("", "maxReplicas",
                        max.getAsInt() + " is below minReplicas " + min.getAsInt()));
            } else {
                bounds = Optional.of(new ReplicaBounds(min.getAsInt(), max.getAsInt()));
            }
        }

        OptionalDouble perReceiver = document.containsKey("samplesPerSecondPerReceiver")
                ? number(document.get("samplesPerSecondPerReceiver"), "", "samplesPerSecondPerReceiver")
                : OptionalDouble.of(ReceiverCapacity.DEFAULT_SAMPLES_PER_SECOND_PER_RECEIVER);
        if (perReceiver.isPresent() && !(perReceiver.getAsDouble() > 0)) {
            problems.add(PolicyProblem.error("", "samplesPerSecondPerReceiver",
                    "must be a positive number of samples/s, got " + Figures.readable(perReceiver.getAsDouble())));
            perReceiver = OptionalDouble.empty();
        }
        Optional<UtilizationBand> band = band(document.get("targetUtilization"));

        Duration step = WindowProof.DEFAULT_STEP;
        if (document.get("evaluationStep") != null) {
            Optional<Duration> parsed = duration(document.get("evaluationStep"), "", "evaluationStep");
            if (parsed.isPresent() && parsed.get().isZero()) {
                problems.add(PolicyProblem.error("", "evaluationStep", "must be longer than 0s"));
            }
            step = parsed.filter(d -> !d.isZero()).orElse(null);
        }

        List<PolicyRule> rules = rules(document, step == null ? WindowProof.DEFAULT_STEP : step);

        if (problems.stream().anyMatch(PolicyProblem::isError) || bounds.isEmpty() || band.isEmpty()
                || perReceiver.isEmpty() || step == null) {
            return invalid();
        }
        try {
            ReceiverPolicy policy = new ReceiverPolicy(rules, bounds.get(),
                    new ReceiverCapacity(perReceiver.getAsDouble(), band.get()), step);
            return new PolicyValidation(Optional.of(policy), problems);
        } catch (IllegalArgumentException e) {
            // Every constructor check is mirrored above; this only guards against a gap between the two.
            problems.add(PolicyProblem.error("", "", e.getMessage()));
            return invalid();
        }
    }

    private PolicyValidation invalid() {
        return new PolicyValidation(Optional.empty(), problems);
    }

    private Optional<UtilizationBand> band(Object value) {
        if (value == null) {
            return Optional.of(UtilizationBand.RUNBOOK);
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(PolicyProblem.error("", "targetUtilization",
                    "must be a mapping {low: 0.7, high: 0.8}, got " + describe(value)));
            return Optional.empty();
        }
        unknownFields(map, BAND_FIELDS, "", "targetUtilization.");
        OptionalDouble low = map.containsKey("low") ? ratio(map.get("low"), "targetUtilization.low")
                : OptionalDouble.of(UtilizationBand.RUNBOOK.low());
        OptionalDouble high = map.containsKey("high") ? ratio(map.get("high"), "targetUtilization.high")
                : OptionalDouble.of(UtilizationBand.RUNBOOK.high());
        if (low.isEmpty() || high.isEmpty()) {
            return Optional.empty();
        }
        if (!(low.getAsDouble() < high.getAsDouble())) {
            problems.add(PolicyProblem.error("", "targetUtilization",
                    "low " + Figures.readable(low.getAsDouble()) + " must be below high " + Figures.readable(high.getAsDouble())));
            return Optional.empty();
        }
        return Optional.of(new UtilizationBand(low.getAsDouble(), high.getAsDouble()));
    }

    private OptionalDouble ratio(Object value, String field) {
        OptionalDouble ratio = number(value, "", field);
        if (ratio.isPresent() && !(ratio.getAsDouble() > 0 && ratio.getAsDouble() <= 1)) {
            problems.add(PolicyProblem.error("", field, "must be a ratio above 0 and at most 1 (80% is 0.8), got "
                    + Figures.readable(ratio.getAsDouble())));
            return OptionalDouble.empty();
        }
        return ratio;
    }

    private List<PolicyRule> rules(Map<String, ?> document, Duration step) {
        if (!document.containsKey("rules")) {
            problems.add(PolicyProblem.error("", "rules", "missing; a policy needs its list of rules"));
            return List.of();
        }
        Object value = document.get("rules");
        if (!(value instanceof List<?> list)) {
            problems.add(PolicyProblem.error("", "rules", "must be a list of rules, got " + describe(value)));
            return List.of();
        }
        if (list.isEmpty()) {
            problems.add(PolicyProblem.warning("", "rules", "no rules: nothing will ever be recommended"));
        }
        // Names are checked on the raw entries, so a duplicate is reported even when one copy has other errors.
        Map<String, Integer> firstIndexByName = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> map && map.get("name") instanceof String name && !name.isBlank()) {
                Integer earlier = firstIndexByName.putIfAbsent(name, i);
                if (earlier != null) {
                    problems.add(PolicyProblem.error(name, "name",
                            "duplicate rule name (rules[" + earlier + "] and rules[" + i + "])"));
                }
            }
        }
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Optional<PolicyRule> rule = rule(list.get(i), i, step);
            if (rule.isPresent() && firstIndexByName.get(rule.get().name()) == i) {
                rules.add(rule.get());
            }
        }
        conflicts(rules);
        return rules;
    }

    private Optional<PolicyRule> rule(Object value, int index, Duration step) {
        String position = "rules[" + index + "]";
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(PolicyProblem.error(position, "", "must be a mapping with " + String.join(", ", RULE_FIELDS)
                    + ", got " + describe(value)));
            return Optional.empty();
        }
        int errorsBefore = errorCount();
        Optional<String> name = text(map, "name", position);
        String label = name.orElse(position);
        unknownFields(map, RULE_FIELDS, label, "");
        Optional<String> expr = text(map, "expr", label);
        Optional<Comparison> comparison = text(map, "comparison", label).flatMap(symbol -> {
            Optional<Comparison> c = Comparison.fromSymbol(symbol);
            if (c.isEmpty()) {
                String hint = symbol.trim().equals("=") ? " (equality is ==)" : "";
                problems.add(PolicyProblem.error(label, "comparison", "unknown comparison '" + symbol + "'" + hint
                        + "; use one of " + Arrays.stream(Comparison.values()).map(Comparison::symbol)
                        .collect(Collectors.joining(" "))));
            }
            return c;
        });
        OptionalDouble threshold = OptionalDouble.empty();
        if (map.get("threshold") == null) {
            problems.add(PolicyProblem.error(label, "threshold", "missing"));
        } else {
            threshold = number(map.get("threshold"), label, "threshold");
        }
        Duration forDuration = Duration.ZERO;
        if (map.get("for") != null) {
            forDuration = duration(map.get("for"), label, "for").orElse(null);
        }
        Optional<RuleAction> action = text(map, "action", label).flatMap(text -> {
            Optional<RuleAction> a = RuleAction.fromName(text);
            if (a.isEmpty()) {
                problems.add(PolicyProblem.error(label, "action", "unknown action '" + text + "'; use one of "
                        + Arrays.stream(RuleAction.values()).map(Enum::name).collect(Collectors.joining(", "))));
            }
            return a;
        });
        Optional<ObjectRef> target = text(map, "target", label).flatMap(text -> {
            Optional<ObjectRef> t = PolicyRule.parseTarget(text);
            if (t.isEmpty()) {
                problems.add(PolicyProblem.error(label, "target", "'" + text + "' is not KIND/NAMESPACE/NAME with KIND one of "
                        + PolicyRule.TARGET_KINDS.stream().map(k -> k.singular()).collect(Collectors.joining(", "))
                        + " (e.g. statefulset/monitoring/thanos-receive)"));
            }
            return t;
        });
        if (errorCount() > errorsBefore || name.isEmpty() || expr.isEmpty() || comparison.isEmpty()
                || threshold.isEmpty() || forDuration == null || action.isEmpty() || target.isEmpty()) {
            return Optional.empty();
        }
        if (!forDuration.isZero() && forDuration.compareTo(step) < 0) {
            problems.add(PolicyProblem.warning(label, "for", PromDuration.format(forDuration)
                    + " is shorter than the evaluation step " + PromDuration.format(step)
                    + ": the window is proven by a single point"));
        }
        return Optional.of(new PolicyRule(name.get(), expr.get(), comparison.get(), threshold.getAsDouble(),
                forDuration, action.get(), target.get()));
    }

    /** Pairs on one target and one expression whose conditions can be true at the same moment. */
    private void conflicts(List<PolicyRule> rules) {
        for (int j = 0; j < rules.size(); j++) {
            PolicyRule later = rules.get(j);
            for (int i = 0; i < j; i++) {
                PolicyRule earlier = rules.get(i);
                if (!earlier.target().equals(later.target())
                        || !sameExpression(earlier.expression(), later.expression())
                        || !Comparison.canHoldTogether(earlier.comparison(), earlier.threshold(),
                                later.comparison(), later.threshold())) {
                    continue;
                }
                String both = "'" + earlier.condition() + "' (rule '" + earlier.name() + "') and '" + later.condition()
                        + "' can hold at the same time on " + later.targetText();
                if (later.action().opposes(earlier.action())) {
                    problems.add(PolicyProblem.error(later.name(), "action", "contradicts rule '" + earlier.name()
                            + "': " + both + ", asking for " + earlier.action() + " and " + later.action()
                            + " together; leave a gap between the thresholds"));
                } else if (later.action() == earlier.action()) {
                    problems.add(PolicyProblem.warning(later.name(), "threshold", "overlaps rule '" + earlier.name()
                            + "' with the same action " + later.action() + ": " + both + "; one of them is redundant"));
                }
            }
        }
    }

    // Formatting differences ("a/b" vs "a / b") must not hide that two rules watch the same metric.
    private static boolean sameExpression(String a, String b) {
        return a.replaceAll("\\s+", "").equals(b.replaceAll("\\s+", ""));
    }

    private Optional<String> text(Map<?, ?> map, String field, String label) {
        Object value = map.get(field);
        if (value == null) {
            problems.add(PolicyProblem.error(label, field, "missing"));
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            problems.add(PolicyProblem.error(label, field, "must be a string, got " + describe(value)));
            return Optional.empty();
        }
        if (s.isBlank()) {
            problems.add(PolicyProblem.error(label, field, field.equals("expr") ? "empty expression" : "is empty"));
            return Optional.empty();
        }
        return Optional.of(s);
    }

    private OptionalInt wholeNumber(Map<String, ?> document, String field, int fallback) {
        if (!document.containsKey(field)) {
            return OptionalInt.of(fallback);
        }
        Object value = document.get(field);
        OptionalDouble n = number(value, "", field);
        if (n.isEmpty()) {
            return OptionalInt.empty();
        }
        double d = n.getAsDouble();
        if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
            problems.add(PolicyProblem.error("", field, "must be a whole number, got " + Figures.readable(d)));
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) d);
    }

    private OptionalDouble number(Object value, String label, String field) {
        if (value == null) {
            problems.add(PolicyProblem.error(label, field, "missing"));
            return OptionalDouble.empty();
        }
        if (value instanceof String s) {
            String trimmed = s.trim();
            if (trimmed.matches("[-+]?\\d+(\\.\\d+)?\\s*%")) {
                double percent = Double.parseDouble(trimmed.replace("%", "").trim());
                problems.add(PolicyProblem.error(label, field, "\"" + s + "\" is a string; write a plain number in the"
                        + " expression's unit: for a ratio (like the default utilization expressions) "
                        + trimmed + " is " + Figures.readable(percent / 100)));
            } else {
                problems.add(PolicyProblem.error(label, field, "\"" + s + "\" is a string; write the number without quotes"));
            }
            return OptionalDouble.empty();
        }
        if (!(value instanceof Number number) || value instanceof Boolean) {
            problems.add(PolicyProblem.error(label, field, "must be a number, got " + describe(value)));
            return OptionalDouble.empty();
        }
        double d = toDouble(number);
        if (!Double.isFinite(d)) {
            problems.add(PolicyProblem.error(label, field, "must be a finite number, got " + d));
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(d);
    }

    private static double toDouble(Number number) {
        if (number instanceof BigDecimal big) {
            return big.doubleValue();
        }
        if (number instanceof BigInteger big) {
            return big.doubleValue();
        }
        return number.doubleValue();
    }

    private Optional<Duration> duration(Object value, String label, String field) {
        String example = " (Prometheus syntax, e.g. 30s, 15m, 1h, 1h30m)";
        if (value instanceof Number number && !(value instanceof Boolean)) {
            // YAML reads "for: 0" as the integer 0; any other bare number has no unit.
            if (toDouble(number) == 0) {
                return Optional.of(Duration.ZERO);
            }
            problems.add(PolicyProblem.error(label, field, "the number " + number + " has no unit" + example));
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            problems.add(PolicyProblem.error(label, field, "must be a duration" + example + ", got " + describe(value)));
            return Optional.empty();
        }
        if (s.trim().startsWith("-")) {
            problems.add(PolicyProblem.error(label, field, "negative duration '" + s + "'"));
            return Optional.empty();
        }
        Optional<Duration> parsed = PromDuration.parse(s);
        if (parsed.isEmpty()) {
            problems.add(PolicyProblem.error(label, field, "'" + s + "' is not a duration" + example));
        }
        return parsed;
    }

    private void unknownFields(Map<?, ?> map, List<String> known, String label) {
        unknownFields(map, known, label, "");
    }

    private void unknownFields(Map<?, ?> map, List<String> known, String label, String prefix) {
        Set<String> knownSet = Set.copyOf(known);
        for (Object key : map.keySet()) {
            if (!(key instanceof String k) || !knownSet.contains(k)) {
                problems.add(PolicyProblem.error(label, prefix + key,
                        "unknown field; known fields: " + String.join(", ", known)));
            }
        }
    }

    private int errorCount() {
        return (int) problems.stream().filter(PolicyProblem::isError).count();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        String type = value instanceof Map ? "a mapping" : value instanceof List ? "a list"
                : value instanceof String ? "a string" : value instanceof Boolean ? "a boolean"
                : value instanceof Number ? "a number" : value.getClass().getSimpleName();
        return value instanceof Map || value instanceof List ? type : type + " (" + value + ")";
    }
}
