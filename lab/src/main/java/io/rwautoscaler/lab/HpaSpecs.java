package io.rwautoscaler.lab;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the lab checks and changes in an HPA spec; the algorithm itself is the product's {@code core.hpa}. */
public final class HpaSpecs {

    /** The metric sources the lab can feed: what receive pods have (resources) and the product's served metrics. */
    private static final Set<String> SUPPORTED = Set.of("Resource", "Pods", "External", "Object");

    private HpaSpecs() {
    }

    public record Problem(String key, String message) {
    }

    public static Optional<Problem> validate(HorizontalPodAutoscalerSpec spec) {
        if (spec.getMaxReplicas() == null || spec.getMaxReplicas() < 1) {
            return Optional.of(new Problem("maxReplicas", "is required and must be at least 1"));
        }
        int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
        if (min < 1 || min > spec.getMaxReplicas()) {
            return Optional.of(new Problem("minReplicas", "must be between 1 and maxReplicas (" + spec.getMaxReplicas()
                    + "), got " + min));
        }
        List<MetricSpec> metrics = spec.getMetrics();
        for (int i = 0; metrics != null && i < metrics.size(); i++) {
            MetricSpec m = metrics.get(i);
            if (m.getType() == null || !SUPPORTED.contains(m.getType())) {
                return Optional.of(new Problem("metrics[" + i + "].type", "must be one of " + SUPPORTED + ", got "
                        + m.getType()));
            }
            if (m.getType().equals("Resource") && (m.getResource() == null || m.getResource().getTarget() == null)) {
                return Optional.of(new Problem("metrics[" + i + "].resource", "needs name and target"));
            }
            if (m.getType().equals("Pods") && (m.getPods() == null || m.getPods().getMetric() == null
                    || m.getPods().getTarget() == null)) {
                return Optional.of(new Problem("metrics[" + i + "].pods", "needs metric.name and target"));
            }
        }
        return Optional.empty();
    }

    /**
     * A key the autoscaling/v2 model does not know (fabric8 keeps it in {@code additionalProperties} instead of
     * failing), as a dotted path: a misspelt {@code stabilisationWindowSeconds} must not be silently ignored.
     */
    public static Optional<String> unknownKey(Object model, String path) {
        if (model == null) {
            return Optional.empty();
        }
        if (model instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Optional<String> k = unknownKey(list.get(i), path + "[" + i + "]");
                if (k.isPresent()) {
                    return k;
                }
            }
            return Optional.empty();
        }
        if (!model.getClass().getName().startsWith("io.fabric8.")) {
            return Optional.empty();
        }
        for (java.lang.reflect.Method m : model.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            try {
                Object v = m.invoke(model);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof java.util.Map<?, ?> extra && !extra.isEmpty()) {
                        return Optional.of(path + (path.isEmpty() ? "" : ".") + extra.keySet().iterator().next());
                    }
                    continue;
                }
                String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
                Optional<String> k = unknownKey(v, path + (path.isEmpty() ? "" : ".") + name);
                if (k.isPresent()) {
                    return k;
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return Optional.empty();
    }

    public static int minReplicas(HorizontalPodAutoscalerSpec spec) {
        return spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
    }

    /** The spec with only its Resource metrics (the {@code hpa-cpu-memory} strategy). */
    public static HorizontalPodAutoscalerSpec resourceMetricsOnly(HorizontalPodAutoscalerSpec spec) {
        List<MetricSpec> kept = spec.getMetrics() == null ? List.of()
                : spec.getMetrics().stream().filter(m -> "Resource".equals(m.getType())).toList();
        return new HorizontalPodAutoscalerSpecBuilder(spec).withMetrics(kept).build();
    }

    public static boolean hasQueueMetric(HorizontalPodAutoscalerSpec spec) {
        return spec.getMetrics() != null && spec.getMetrics().stream().anyMatch(m -> !"Resource".equals(m.getType()));
    }

    public static HorizontalPodAutoscalerSpec withBehavior(HorizontalPodAutoscalerSpec spec,
                                                           HorizontalPodAutoscalerBehavior behavior) {
        return new HorizontalPodAutoscalerSpecBuilder(spec).withBehavior(behavior).build();
    }
}
