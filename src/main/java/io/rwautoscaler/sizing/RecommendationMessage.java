package io.rwautoscaler.sizing;

import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.kube.EventReason;
import io.rwautoscaler.core.sizing.ContainerRecommendation;
import io.rwautoscaler.core.sizing.ResourceSizing;
import io.rwautoscaler.core.sizing.SizedResource;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The one-line text of a flagged recommendation, for a Kubernetes Event. Built from what is proposed only, not
 * from usage figures, so the same recommendation gives the same text every run: a changed text is a changed
 * recommendation.
 */
final class RecommendationMessage {

    static final EventReason REASON = EventReason.RIGHT_SIZING;

    private RecommendationMessage() {
    }

    static String of(WorkloadRecommendation r) {
        List<String> changes = new ArrayList<>();
        r.replicas().filter(x -> x.flagged()).ifPresent(x -> changes.add("replicas " + x.current() + " → "
                + x.recommended() + (x.recommended() < x.current() ? " (lower the HPA's load or its minReplicas/metrics)"
                : x.recommended() >= x.maxReplicas() ? " (raise the HPA's maxReplicas)" : "")));
        for (ContainerRecommendation c : r.containers()) {
            for (SizedResource resource : SizedResource.values()) {
                ResourceSizing s = c.sizing(resource);
                if (!s.flagged()) {
                    continue;
                }
                changes.add("container " + c.container() + " " + resource.label() + " request "
                        + amount(resource, s.currentRequest()) + " → " + amount(resource, s.recommendedRequest())
                        + (s.recommendedLimit().equals(s.currentLimit()) ? "" : ", limit "
                        + amount(resource, s.currentLimit()) + " → " + amount(resource, s.recommendedLimit())));
            }
        }
        String saving = r.cost().saving().signum() == 0 ? ""
                : "; monthly " + (r.cost().saving().signum() > 0 ? "saving " : "cost ") + r.cost().saving().abs();
        return "right-sizing recommends " + String.join("; ", changes) + saving + " (flag only, nothing was changed)";
    }

    private static String amount(SizedResource resource, OptionalDouble v) {
        if (v.isEmpty()) {
            return "unset";
        }
        return resource == SizedResource.CPU ? Quantity.formatCpu(v.getAsDouble())
                : Quantity.formatMemory(Math.round(v.getAsDouble()));
    }
}
