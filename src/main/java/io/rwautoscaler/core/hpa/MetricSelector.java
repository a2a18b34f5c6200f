package io.rwautoscaler.core.hpa;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A {@code metav1.LabelSelector} on a metric (custom or external), carried to the {@link MetricReadings} that
 * looks the metric up; the controller itself never evaluates it.
 */
public record MetricSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    public static final MetricSelector EMPTY = new MetricSelector(Map.of(), List.of());

    public MetricSelector {
        matchLabels = Map.copyOf(Objects.requireNonNull(matchLabels, "matchLabels"));
        matchExpressions = List.copyOf(Objects.requireNonNull(matchExpressions, "matchExpressions"));
    }

    /** One {@code matchExpressions} entry: key, operator (In, NotIn, Exists, DoesNotExist) and values. */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(values);
        }
    }

    /** The selector in {@code kubectl} label-selector syntax, labels sorted ({@code a=b,c in (d,e)}). */
    @Override
    public String toString() {
        String labels = new TreeMap<>(matchLabels).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        String expressions = matchExpressions.stream().map(r -> switch (r.operator()) {
            case "Exists" -> r.key();
            case "DoesNotExist" -> "!" + r.key();
            default -> r.key() + " " + r.operator().toLowerCase(java.util.Locale.ROOT)
                    + " (" + String.join(",", r.values()) + ")";
        }).collect(Collectors.joining(","));
        return labels.isEmpty() ? expressions : expressions.isEmpty() ? labels : labels + "," + expressions;
    }
}
