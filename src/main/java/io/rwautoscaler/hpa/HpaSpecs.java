package io.rwautoscaler.hpa;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ContainerResourceMetricSource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ExternalMetricSource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricIdentifier;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ObjectMetricSource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.PodsMetricSource;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricSource;
import io.rwautoscaler.core.hpa.Behavior;
import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.hpa.MetricSelector;
import io.rwautoscaler.core.hpa.MetricSpec;
import io.rwautoscaler.core.hpa.MetricTarget;
import io.rwautoscaler.core.hpa.ObjectReference;
import io.rwautoscaler.core.hpa.PolicyType;
import io.rwautoscaler.core.hpa.ScalingPolicy;
import io.rwautoscaler.core.hpa.ScalingRules;
import io.rwautoscaler.core.hpa.SelectPolicy;
import io.rwautoscaler.core.hpa.TargetType;
import io.rwautoscaler.core.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns an {@code autoscaling/v2} HorizontalPodAutoscaler, as fabric8 models it (from a user's YAML through
 * Jackson), into the {@link HpaSpec} that {@code core.hpa} runs, applying kube-apiserver's defaulting
 * ({@code pkg/apis/autoscaling/v2/defaults.go}: minReplicas 1, a cpu 80 % metric when none, unset behavior fields
 * from the default rules) and rejecting what its validation ({@code pkg/apis/autoscaling/validation}) rejects,
 * every problem named by its field path.
 *
 * <p>Stricter than kube-apiserver in two ways, both mistakes whose effect in a cluster is not what the manifest
 * says: unknown fields are rejected (as {@code kubectl}'s strict field validation does), and a target's
 * {@code type} must match the field it sets and the source (Utilization only on Resource and ContainerResource,
 * Value only on Object and External).
 */
public final class HpaSpecs {

    private static final Set<String> SOURCES = Set.of("Object", "Pods", "Resource", "ContainerResource", "External");
    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private HpaSpecs() {
    }

    /** A whole manifest: {@code apiVersion: autoscaling/v2}, {@code kind: HorizontalPodAutoscaler}, a spec. */
    public static HpaSpec fromManifest(HorizontalPodAutoscaler hpa) {
        List<String> problems = new ArrayList<>();
        if (hpa == null) {
            throw new InvalidHpaSpecException(List.of("the manifest is empty"));
        }
        if (hpa.getApiVersion() != null && !"autoscaling/v2".equals(hpa.getApiVersion())) {
            problems.add("apiVersion: Unsupported value: \"" + hpa.getApiVersion() + "\": supported values: \"autoscaling/v2\"");
        }
        if (hpa.getKind() != null && !"HorizontalPodAutoscaler".equals(hpa.getKind())) {
            problems.add("kind: Unsupported value: \"" + hpa.getKind() + "\": supported values: \"HorizontalPodAutoscaler\"");
        }
        unknownFields(hpa.getAdditionalProperties(), "", problems);
        if (hpa.getSpec() == null) {
            problems.add("spec: Required value");
        }
        if (!problems.isEmpty()) {
            throw new InvalidHpaSpecException(problems);
        }
        return fromSpec(hpa.getSpec());
    }

    /** Just the {@code spec} of an HPA. */
    public static HpaSpec fromSpec(HorizontalPodAutoscalerSpec spec) {
        if (spec == null) {
            throw new InvalidHpaSpecException(List.of("spec: Required value"));
        }
        List<String> problems = new ArrayList<>();
        unknownFields(spec.getAdditionalProperties(), "spec", problems);

        List<MetricSpec> metrics = new ArrayList<>();
        boolean objectOrExternal = false;
        if (spec.getMetrics() == null || spec.getMetrics().isEmpty()) {
            // SetDefaults_HorizontalPodAutoscaler
            metrics.add(new MetricSpec.Resource("cpu", MetricTarget.utilization(DEFAULT_CPU_UTILIZATION)));
        } else {
            for (int i = 0; i < spec.getMetrics().size(); i++) {
                io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec m = spec.getMetrics().get(i);
                String path = "spec.metrics[" + i + "]";
                Optional<MetricSpec> metric = metric(m, path, problems);
                metric.ifPresent(metrics::add);
                if (m != null && ("Object".equals(m.getType()) || "External".equals(m.getType()))) {
                    objectOrExternal = true;
                }
            }
        }

        int minReplicas = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
        if (minReplicas < 0) {
            problems.add("spec.minReplicas: Invalid value: " + minReplicas + ": must be greater than or equal to 0");
        } else if (minReplicas == 0 && !objectOrExternal) {
            problems.add("spec.minReplicas: Invalid value: 0: scaling to zero needs at least one Object or External "
                    + "metric (and the HPAScaleToZero feature gate); use 1 or more");
        }
        Integer maxReplicas = spec.getMaxReplicas();
        if (maxReplicas == null) {
            problems.add("spec.maxReplicas: Required value");
        } else if (maxReplicas < 1) {
            problems.add("spec.maxReplicas: Invalid value: " + maxReplicas + ": must be greater than 0");
        } else if (maxReplicas < minReplicas) {
            problems.add("spec.maxReplicas: Invalid value: " + maxReplicas + ": must be greater than or equal to "
                    + "`minReplicas` (" + minReplicas + ")");
        }

        Optional<Behavior> behavior = behavior(spec.getBehavior(), problems);
        if (!problems.isEmpty()) {
            throw new InvalidHpaSpecException(problems);
        }
        return new HpaSpec(minReplicas, maxReplicas, metrics, behavior);
    }

    private static Optional<MetricSpec> metric(io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec m, String path,
                                               List<String> problems) {
        if (m == null) {
            problems.add(path + ": Required value");
            return Optional.empty();
        }
        unknownFields(m.getAdditionalProperties(), path, problems);
        String type = m.getType();
        if (type == null || type.isEmpty()) {
            problems.add(path + ".type: Required value: must specify a metric source type");
            return Optional.empty();
        }
        if (!SOURCES.contains(type)) {
            problems.add(path + ".type: Unsupported value: \"" + type + "\": supported values: \"ContainerResource\", "
                    + "\"External\", \"Object\", \"Pods\", \"Resource\"");
            return Optional.empty();
        }
        Map<String, Object> present = new java.util.LinkedHashMap<>();
        present.put("object", m.getObject());
        present.put("pods", m.getPods());
        present.put("resource", m.getResource());
        present.put("containerResource", m.getContainerResource());
        present.put("external", m.getExternal());
        String expected = Character.toLowerCase(type.charAt(0)) + type.substring(1);
        for (Map.Entry<String, Object> e : present.entrySet()) {
            if (e.getValue() != null && !e.getKey().equals(expected)) {
                problems.add(path + "." + e.getKey() + ": Forbidden: must populate the given metric source only (type is "
                        + type + ")");
            }
        }
        if (present.get(expected) == null) {
            problems.add(path + "." + expected + ": Required value: must populate information for the given metric source");
            return Optional.empty();
        }
        int before = problems.size();
        MetricSpec result = switch (type) {
            case "Resource" -> resource(m.getResource(), path + ".resource", problems);
            case "ContainerResource" -> containerResource(m.getContainerResource(), path + ".containerResource", problems);
            case "Pods" -> pods(m.getPods(), path + ".pods", problems);
            case "Object" -> object(m.getObject(), path + ".object", problems);
            default -> external(m.getExternal(), path + ".external", problems);
        };
        return problems.size() == before ? Optional.ofNullable(result) : Optional.empty();
    }

    private static MetricSpec resource(ResourceMetricSource src, String path, List<String> problems) {
        unknownFields(src.getAdditionalProperties(), path, problems);
        if (src.getName() == null || src.getName().isEmpty()) {
            problems.add(path + ".name: Required value: must specify a resource name");
        }
        MetricTarget target = resourceTarget(src.getTarget(), path + ".target", problems);
        return target == null || src.getName() == null ? null : new MetricSpec.Resource(src.getName(), target);
    }

    private static MetricSpec containerResource(ContainerResourceMetricSource src, String path, List<String> problems) {
        unknownFields(src.getAdditionalProperties(), path, problems);
        if (src.getName() == null || src.getName().isEmpty()) {
            problems.add(path + ".name: Required value: must specify a resource name");
        }
        if (src.getContainer() == null || src.getContainer().isEmpty()) {
            problems.add(path + ".container: Required value: must specify a container");
        }
        MetricTarget target = resourceTarget(src.getTarget(), path + ".target", problems);
        return target == null || src.getName() == null || src.getContainer() == null ? null
                : new MetricSpec.ContainerResource(src.getName(), src.getContainer(), target);
    }

    private static MetricTarget resourceTarget(io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget t, String path,
                                               List<String> problems) {
        MetricTarget target = target(t, path, problems);
        if (target == null) {
            return null;
        }
        if (target.averageUtilization().isEmpty() && target.averageValueMilli().isEmpty()) {
            problems.add(path + ".averageUtilization: Required value: must set either a target raw value or a target "
                    + "utilization");
        }
        if (target.averageUtilization().isPresent() && target.averageValueMilli().isPresent()) {
            problems.add(path + ".averageValue: Forbidden: may not set both a target raw value and a target utilization");
        }
        if (target.valueMilli().isPresent()) {
            problems.add(path + ".value: Forbidden: a resource metric takes averageUtilization or averageValue, not value");
        }
        requireTypeMatches(target, path, Set.of(TargetType.UTILIZATION, TargetType.AVERAGE_VALUE), "a resource metric",
                problems);
        return target;
    }

    private static MetricSpec pods(PodsMetricSource src, String path, List<String> problems) {
        unknownFields(src.getAdditionalProperties(), path, problems);
        String name = metricName(src.getMetric(), path + ".metric", problems);
        MetricTarget target = target(src.getTarget(), path + ".target", problems);
        if (target == null) {
            return null;
        }
        if (target.averageValueMilli().isEmpty()) {
            problems.add(path + ".target.averageValue: Required value: must specify a positive target averageValue");
        }
        if (target.valueMilli().isPresent() || target.averageUtilization().isPresent()) {
            problems.add(path + ".target: Forbidden: a Pods metric takes only averageValue");
        }
        requireTypeMatches(target, path + ".target", Set.of(TargetType.AVERAGE_VALUE), "a Pods metric", problems);
        return name == null ? null : new MetricSpec.Pods(name, selector(src.getMetric()), target);
    }

    private static MetricSpec object(ObjectMetricSource src, String path, List<String> problems) {
        unknownFields(src.getAdditionalProperties(), path, problems);
        CrossVersionObjectReference ref = src.getDescribedObject();
        ObjectReference described = null;
        if (ref == null) {
            problems.add(path + ".describedObject: Required value");
        } else {
            unknownFields(ref.getAdditionalProperties(), path + ".describedObject", problems);
            if (ref.getKind() == null || ref.getKind().isEmpty()) {
                problems.add(path + ".describedObject.kind: Required value");
            }
            if (ref.getName() == null || ref.getName().isEmpty()) {
                problems.add(path + ".describedObject.name: Required value");
            }
            if (ref.getKind() != null && ref.getName() != null) {
                described = new ObjectReference(ref.getApiVersion(), ref.getKind(), ref.getName());
            }
        }
        String name = metricName(src.getMetric(), path + ".metric", problems);
        MetricTarget target = valueOrAverageTarget(src.getTarget(), path + ".target", "must set either a target value or "
                + "averageValue", "an Object metric", problems);
        return target == null || name == null || described == null ? null
                : new MetricSpec.ObjectMetric(described, name, selector(src.getMetric()), target);
    }

    private static MetricSpec external(ExternalMetricSource src, String path, List<String> problems) {
        unknownFields(src.getAdditionalProperties(), path, problems);
        String name = metricName(src.getMetric(), path + ".metric", problems);
        MetricTarget target = valueOrAverageTarget(src.getTarget(), path + ".target", "must set either a target value for "
                + "metric or a per-pod target", "an External metric", problems);
        return target == null || name == null ? null : new MetricSpec.External(name, selector(src.getMetric()), target);
    }

    private static MetricTarget valueOrAverageTarget(io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget t,
                                                     String path, String requiredMessage, String what,
                                                     List<String> problems) {
        MetricTarget target = target(t, path, problems);
        if (target == null) {
            return null;
        }
        if (target.valueMilli().isEmpty() && target.averageValueMilli().isEmpty()) {
            problems.add(path + ".averageValue: Required value: " + requiredMessage);
        }
        if (target.valueMilli().isPresent() && target.averageValueMilli().isPresent()) {
            problems.add(path + ".value: Forbidden: may not set both a target value for metric and a per-pod target");
        }
        if (target.averageUtilization().isPresent()) {
            problems.add(path + ".averageUtilization: Forbidden: Utilization targets apply only to Resource and "
                    + "ContainerResource metrics");
        }
        requireTypeMatches(target, path, Set.of(TargetType.VALUE, TargetType.AVERAGE_VALUE), what, problems);
        return target;
    }

    // validateMetricTarget: the type is required and known; values positive; utilization at least 1.
    private static MetricTarget target(io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget t, String path,
                                       List<String> problems) {
        if (t == null) {
            problems.add(path + ": Required value");
            return null;
        }
        unknownFields(t.getAdditionalProperties(), path, problems);
        TargetType type = null;
        if (t.getType() == null || t.getType().isEmpty()) {
            problems.add(path + ".type: Required value: must specify a metric target type");
        } else {
            try {
                type = TargetType.fromWire(t.getType());
            } catch (IllegalArgumentException e) {
                problems.add(path + ".type: Invalid value: \"" + t.getType()
                        + "\": must be either Utilization, Value, or AverageValue");
            }
        }
        OptionalLong value = milli(t.getValue(), path + ".value", problems);
        OptionalLong averageValue = milli(t.getAverageValue(), path + ".averageValue", problems);
        OptionalInt utilization = OptionalInt.empty();
        if (t.getAverageUtilization() != null) {
            if (t.getAverageUtilization() < 1) {
                problems.add(path + ".averageUtilization: Invalid value: " + t.getAverageUtilization()
                        + ": must be greater than 0");
            } else {
                utilization = OptionalInt.of(t.getAverageUtilization());
            }
        }
        return type == null ? null : new MetricTarget(type, value, averageValue, utilization);
    }

    /** The type must name the field that is set (a mismatch runs differently per source upstream). */
    private static void requireTypeMatches(MetricTarget target, String path, Set<TargetType> allowed, String what,
                                           List<String> problems) {
        if (!allowed.contains(target.type())) {
            problems.add(path + ".type: Invalid value: \"" + target.type().wireName() + "\": " + what + " takes "
                    + String.join(" or ", allowed.stream().map(TargetType::wireName).sorted().toList())
                    + (target.type() == TargetType.UTILIZATION
                    ? " (Utilization targets apply only to Resource and ContainerResource metrics)" : ""));
            return;
        }
        boolean fieldSet = switch (target.type()) {
            case UTILIZATION -> target.averageUtilization().isPresent();
            case VALUE -> target.valueMilli().isPresent();
            case AVERAGE_VALUE -> target.averageValueMilli().isPresent();
        };
        if (!fieldSet) {
            String field = switch (target.type()) {
                case UTILIZATION -> "averageUtilization";
                case VALUE -> "value";
                case AVERAGE_VALUE -> "averageValue";
            };
            problems.add(path + "." + field + ": Required value: type " + target.type().wireName() + " needs " + field);
        }
    }

    // Quantity.MilliValue(): rounded up to a whole milli.
    private static OptionalLong milli(io.fabric8.kubernetes.api.model.Quantity q, String path, List<String> problems) {
        if (q == null) {
            return OptionalLong.empty();
        }
        String text = text(q);
        BigDecimal value;
        try {
            value = Quantity.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(path + ": Invalid value: \"" + text + "\": " + e.getMessage());
            return OptionalLong.empty();
        }
        if (value.signum() <= 0) {
            problems.add(path + ": Invalid value: \"" + text + "\": must be positive");
            return OptionalLong.empty();
        }
        BigDecimal milli = value.movePointRight(3).setScale(0, RoundingMode.CEILING);
        if (milli.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            problems.add(path + ": Invalid value: \"" + text + "\": too large");
            return OptionalLong.empty();
        }
        return OptionalLong.of(milli.longValueExact());
    }

    private static String metricName(MetricIdentifier id, String path, List<String> problems) {
        if (id == null) {
            problems.add(path + ": Required value");
            return null;
        }
        unknownFields(id.getAdditionalProperties(), path, problems);
        if (id.getName() == null || id.getName().isEmpty()) {
            problems.add(path + ".name: Required value: must specify a metric name");
            return null;
        }
        if (id.getName().equals(".") || id.getName().equals("..") || id.getName().contains("/")
                || id.getName().contains("%")) {
            problems.add(path + ".name: Invalid value: \"" + id.getName()
                    + "\": may not be '.' or '..' and may not contain '/' or '%'");
            return null;
        }
        return id.getName();
    }

    private static Optional<MetricSelector> selector(MetricIdentifier id) {
        LabelSelector s = id == null ? null : id.getSelector();
        if (s == null) {
            return Optional.empty();
        }
        List<MetricSelector.Requirement> expressions = new ArrayList<>();
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                expressions.add(new MetricSelector.Requirement(r.getKey(), r.getOperator(),
                        r.getValues() == null ? List.of() : r.getValues()));
            }
        }
        return Optional.of(new MetricSelector(s.getMatchLabels() == null ? Map.of() : s.getMatchLabels(), expressions));
    }

    // SetDefaults_HorizontalPodAutoscalerBehavior: a behavior that is present gets both directions, unset fields from
    // the defaults (copyHPAScalingRules); an absent behavior stays absent.
    private static Optional<Behavior> behavior(HorizontalPodAutoscalerBehavior b, List<String> problems) {
        if (b == null) {
            return Optional.empty();
        }
        unknownFields(b.getAdditionalProperties(), "spec.behavior", problems);
        ScalingRules up = rules(b.getScaleUp(), ScalingRules.DEFAULT_SCALE_UP, "spec.behavior.scaleUp", problems);
        ScalingRules down = rules(b.getScaleDown(), ScalingRules.DEFAULT_SCALE_DOWN, "spec.behavior.scaleDown", problems);
        return up == null || down == null ? Optional.empty() : Optional.of(new Behavior(up, down));
    }

    // copyHPAScalingRules over the defaults, then validateScalingRules and validateScalingPolicy
    private static ScalingRules rules(HPAScalingRules from, ScalingRules defaults, String path, List<String> problems) {
        if (from == null) {
            return defaults;
        }
        unknownFields(from.getAdditionalProperties(), path, problems);
        int before = problems.size();
        OptionalInt window = defaults.stabilizationWindowSeconds();
        if (from.getStabilizationWindowSeconds() != null) {
            int seconds = from.getStabilizationWindowSeconds();
            if (seconds < 0) {
                problems.add(path + ".stabilizationWindowSeconds: Invalid value: " + seconds
                        + ": must be greater than or equal to zero");
            } else if (seconds > 3600) {
                problems.add(path + ".stabilizationWindowSeconds: Invalid value: " + seconds
                        + ": must be less than or equal to 3600");
            }
            window = OptionalInt.of(seconds);
        }
        SelectPolicy select = defaults.selectPolicy();
        if (from.getSelectPolicy() != null) {
            try {
                select = SelectPolicy.fromWire(from.getSelectPolicy());
            } catch (IllegalArgumentException e) {
                problems.add(path + ".selectPolicy: Unsupported value: \"" + from.getSelectPolicy()
                        + "\": supported values: \"Disabled\", \"Max\", \"Min\"");
            }
        }
        List<ScalingPolicy> policies = defaults.policies();
        // fabric8's model holds an absent list as an empty one, so `policies: []` (which kube-apiserver rejects)
        // cannot be told from no policies at all: both keep the defaults here
        if (from.getPolicies() != null && !from.getPolicies().isEmpty()) {
            policies = new ArrayList<>();
            for (int i = 0; i < from.getPolicies().size(); i++) {
                policy(from.getPolicies().get(i), path + ".policies[" + i + "]", problems).ifPresent(policies::add);
            }
        }
        OptionalDouble tolerance = defaults.tolerance();
        if (from.getTolerance() != null) {
            String text = text(from.getTolerance());
            try {
                BigDecimal value = Quantity.parse(text);
                if (value.signum() < 0) {
                    problems.add(path + ".tolerance: Invalid value: \"" + text + "\": must be greater than or equal to 0");
                } else {
                    tolerance = OptionalDouble.of(value.doubleValue());
                }
            } catch (IllegalArgumentException e) {
                problems.add(path + ".tolerance: Invalid value: \"" + text + "\": " + e.getMessage());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new ScalingRules(window, select, policies, tolerance);
    }

    private static String text(io.fabric8.kubernetes.api.model.Quantity q) {
        return (q.getAmount() == null ? "" : q.getAmount()) + (q.getFormat() == null ? "" : q.getFormat());
    }

    private static Optional<ScalingPolicy> policy(HPAScalingPolicy p, String path, List<String> problems) {
        if (p == null) {
            problems.add(path + ": Required value");
            return Optional.empty();
        }
        unknownFields(p.getAdditionalProperties(), path, problems);
        int before = problems.size();
        PolicyType type = null;
        try {
            type = PolicyType.fromWire(p.getType() == null ? "" : p.getType());
        } catch (IllegalArgumentException e) {
            problems.add(path + ".type: Unsupported value: \"" + p.getType() + "\": supported values: \"Percent\", \"Pods\"");
        }
        if (p.getValue() == null || p.getValue() <= 0) {
            problems.add(path + ".value: Invalid value: " + p.getValue() + ": must be greater than zero");
        }
        if (p.getPeriodSeconds() == null || p.getPeriodSeconds() <= 0) {
            problems.add(path + ".periodSeconds: Invalid value: " + p.getPeriodSeconds() + ": must be greater than zero");
        } else if (p.getPeriodSeconds() > 1800) {
            problems.add(path + ".periodSeconds: Invalid value: " + p.getPeriodSeconds()
                    + ": must be less than or equal to 1800");
        }
        return problems.size() > before ? Optional.empty()
                : Optional.of(new ScalingPolicy(type, p.getValue(), p.getPeriodSeconds()));
    }

    private static void unknownFields(Map<String, Object> additional, String path, List<String> problems) {
        if (additional == null) {
            return;
        }
        for (String field : new java.util.TreeSet<>(additional.keySet())) {
            problems.add((path.isEmpty() ? "" : path + ".") + field + ": unknown field");
        }
    }
}
