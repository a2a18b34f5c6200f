package io.rwautoscaler.core.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Object names by label (key → value → names), built once per snapshot, so a selector with an equality or
 * {@code in} requirement is answered from the objects that requirement names instead of every object of the
 * namespace (issue 18: the cost of {@code pods/*?labelSelector=} must not grow with the pods in the namespace).
 * It only narrows: the caller still matches the whole selector against each candidate.
 */
final class LabelIndex {

    static final LabelIndex EMPTY = new LabelIndex();

    /** key → value → a name (String) or several (a List of names, in insertion order). */
    private final Map<String, Map<String, Object>> byLabel = new HashMap<>();

    void add(String name, Map<String, String> labels) {
        labels.forEach((k, v) -> byLabel.computeIfAbsent(k, x -> new HashMap<>()).merge(v, name, LabelIndex::append));
    }

    @SuppressWarnings("unchecked")
    private static Object append(Object known, Object name) {
        if (known instanceof List<?> l) {
            ((List<Object>) l).add(name);
            return l;
        }
        List<Object> both = new ArrayList<>(2);
        both.add(known);
        both.add(name);
        return both;
    }

    /**
     * The names that can match {@code selector}, sorted: those of its most selective {@code =}/{@code in}
     * requirement. Empty when the selector has no such requirement (then every object has to be matched).
     */
    Optional<TreeSet<String>> candidates(LabelSelector selector) {
        LabelSelector.Requirement best = null;
        int bestSize = Integer.MAX_VALUE;
        for (LabelSelector.Requirement r : selector.requirements()) {
            if (r.operator() != LabelSelector.Operator.EQUALS && r.operator() != LabelSelector.Operator.IN) {
                continue;
            }
            Map<String, Object> values = byLabel.getOrDefault(r.key(), Map.of());
            int size = 0;
            for (String v : r.values()) {
                Object found = values.get(v);
                size += found == null ? 0 : found instanceof List<?> l ? l.size() : 1;
            }
            if (size < bestSize) {
                best = r;
                bestSize = size;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        TreeSet<String> names = new TreeSet<>();
        Map<String, Object> values = byLabel.getOrDefault(best.key(), Map.of());
        for (String v : best.values()) {
            Object found = values.get(v);
            if (found instanceof String n) {
                names.add(n);
            } else if (found instanceof List<?> l) {
                l.forEach(n -> names.add((String) n));
            }
        }
        return Optional.of(names);
    }
}
