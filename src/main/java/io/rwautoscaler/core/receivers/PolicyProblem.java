package io.rwautoscaler.core.receivers;

import java.util.Objects;

/**
 * One thing wrong with a policy document, named by rule and field so the operator can find it.
 *
 * @param rule the rule's name, {@code rules[N]} when it has none, or empty for policy-level fields
 */
public record PolicyProblem(Severity severity, String rule, String field, String message) {

    public enum Severity {
        /** The policy is rejected; the previous one stays in force. */
        ERROR,
        /** The policy loads; the operator should still look. */
        WARNING
    }

    public PolicyProblem {
        Objects.requireNonNull(severity, "severity");
        rule = rule == null ? "" : rule;
        field = field == null ? "" : field;
        Objects.requireNonNull(message, "message");
    }

    static PolicyProblem error(String rule, String field, String message) {
        return new PolicyProblem(Severity.ERROR, rule, field, message);
    }

    static PolicyProblem warning(String rule, String field, String message) {
        return new PolicyProblem(Severity.WARNING, rule, field, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(severity.name().toLowerCase(java.util.Locale.ROOT)).append(": ");
        if (!rule.isEmpty()) {
            out.append("rule '").append(rule).append("'");
            out.append(field.isEmpty() ? ": " : ", ");
        }
        if (!field.isEmpty()) {
            out.append("field '").append(field).append("': ");
        }
        return out.append(message).toString();
    }
}
