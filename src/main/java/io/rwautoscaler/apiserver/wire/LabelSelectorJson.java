package io.rwautoscaler.apiserver.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rwautoscaler.core.metrics.LabelSelector;

import java.util.List;
import java.util.Map;

/** meta/v1 LabelSelector, echoed in metric values as the upstream adapters do. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LabelSelectorJson(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Requirement(String key, String operator, List<String> values) {
    }

    /** null for "no selector", which upstream serializes as {@code "selector": null}. */
    public static LabelSelectorJson of(LabelSelector s) {
        if (s == null || s.isEverything()) {
            return null;
        }
        return new LabelSelectorJson(s.matchLabels(), s.matchExpressions().stream()
                .map(r -> new Requirement(r.key(), r.operator().expressionName(), r.values().stream().sorted().toList()))
                .toList());
    }
}
