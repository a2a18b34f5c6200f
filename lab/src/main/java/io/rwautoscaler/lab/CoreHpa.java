package io.rwautoscaler.lab;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.rwautoscaler.core.hpa.Behavior;
import io.rwautoscaler.core.hpa.ControllerSettings;
import io.rwautoscaler.core.hpa.HpaController;
import io.rwautoscaler.core.hpa.HpaDecision;
import io.rwautoscaler.core.hpa.HpaHistory;
import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.hpa.MetricReadings;
import io.rwautoscaler.core.hpa.MetricSelector;
import io.rwautoscaler.core.hpa.MetricSpec;
import io.rwautoscaler.core.hpa.MetricTarget;
import io.rwautoscaler.core.hpa.MetricUnavailableException;
import io.rwautoscaler.core.hpa.ObjectReference;
import io.rwautoscaler.core.hpa.Pod;
import io.rwautoscaler.core.hpa.PodMetric;
import io.rwautoscaler.core.hpa.PodPhase;
import io.rwautoscaler.core.hpa.PolicyType;
import io.rwautoscaler.core.hpa.Scale;
import io.rwautoscaler.core.hpa.ScalingPolicy;
import io.rwautoscaler.core.hpa.ScalingRules;
import io.rwautoscaler.core.hpa.SelectPolicy;
import io.rwautoscaler.core.hpa.TargetType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The HPA strategies' controller: the product's port of the Kubernetes HPA ({@code core.hpa.HpaController}, with
 * kube-controller-manager's default settings), fed with what the lab observed. Its history is carried from sync to
 * sync, as the controller keeps it in memory.
 */
public final class CoreHpa implements ReplicaController {

    private final HpaController controller = new HpaController(ControllerSettings.DEFAULTS);
    private final HpaSpec spec;
    private HpaHistory history = HpaHistory.NEW;
    private String lastReason = "";

    public CoreHpa(HorizontalPodAutoscalerSpec spec) {
        this.spec = toCore(spec);
    }

    @Override
    public int sync(HpaInputs in) {
        List<Pod> pods = new ArrayList<>();
        for (HpaInputs.PodView p : in.pods()) {
            Instant created = Simulation.instant(p.createdAt());
            Optional<Pod.ReadyCondition> ready = Optional.of(p.ready()
                    ? new Pod.ReadyCondition(io.rwautoscaler.core.hpa.ConditionStatus.TRUE, Simulation.instant(p.readySince()))
                    : new Pod.ReadyCondition(io.rwautoscaler.core.hpa.ConditionStatus.FALSE, created));
            pods.add(new Pod(p.name(), PodPhase.RUNNING, false, Optional.of(created), ready,
                    List.of(Pod.Container.of("thanos-receive", Map.of("cpu", p.cpuRequestMilli(),
                            "memory", p.memoryRequestMilli()))), Map.of()));
        }
        MetricReadings readings = new MetricReadings() {
            @Override
            public Map<String, PodMetric> resource(String resource, Optional<String> container) {
                Map<String, HpaInputs.Sampled> source = switch (resource) {
                    case "cpu" -> in.cpuMilli();
                    case "memory" -> in.memoryMilli();
                    default -> throw new MetricUnavailableException("no " + resource + " metrics in the lab");
                };
                return toPodMetrics(source, 1);
            }

            @Override
            public Map<String, PodMetric> pods(String metricName, Optional<MetricSelector> selector) {
                Map<String, HpaInputs.Sampled> values = in.podsMetrics().get(metricName);
                if (values == null || values.isEmpty()) {
                    throw new MetricUnavailableException("unable to fetch metrics from custom metrics API: "
                            + metricName + " not served");
                }
                return toPodMetrics(values, 1000);
            }

            @Override
            public long object(ObjectReference describedObject, String metricName, Optional<MetricSelector> selector) {
                throw new MetricUnavailableException("Object metrics are not simulated");
            }

            @Override
            public List<Long> external(String metricName, Optional<MetricSelector> selector) {
                throw new MetricUnavailableException("External metrics are not simulated");
            }
        };
        HpaDecision d = controller.sync(spec, new Scale(in.specReplicas(), in.statusReplicas()), pods, readings,
                history, Simulation.instant(in.t()));
        history = d.history();
        lastReason = d.rescaleReason();
        return d.desiredReplicas();
    }

    private static Map<String, PodMetric> toPodMetrics(Map<String, HpaInputs.Sampled> values, double toMilli) {
        Map<String, PodMetric> out = new LinkedHashMap<>();
        values.forEach((pod, s) -> out.put(pod, new PodMetric(Math.round(s.value() * toMilli),
                Simulation.instant(s.timestamp()), Duration.ofMillis(Math.round(s.windowSeconds() * 1000)))));
        return out;
    }

    @Override
    public String lastReason() {
        return lastReason;
    }

    /** fabric8's autoscaling/v2 model to core.hpa, with kube-apiserver's defaulting of behavior. */
    static HpaSpec toCore(HorizontalPodAutoscalerSpec s) {
        List<MetricSpec> metrics = new ArrayList<>();
        for (var m : s.getMetrics() == null ? List.<io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec>of() : s.getMetrics()) {
            switch (m.getType()) {
                case "Resource" -> metrics.add(new MetricSpec.Resource(m.getResource().getName(),
                        target(m.getResource().getTarget())));
                case "Pods" -> metrics.add(new MetricSpec.Pods(m.getPods().getMetric().getName(), Optional.empty(),
                        target(m.getPods().getTarget())));
                case "External" -> metrics.add(new MetricSpec.External(m.getExternal().getMetric().getName(),
                        Optional.empty(), target(m.getExternal().getTarget())));
                case "Object" -> metrics.add(new MetricSpec.ObjectMetric(new ObjectReference(
                        m.getObject().getDescribedObject().getApiVersion(), m.getObject().getDescribedObject().getKind(),
                        m.getObject().getDescribedObject().getName()), m.getObject().getMetric().getName(),
                        Optional.empty(), target(m.getObject().getTarget())));
                default -> metrics.add(new MetricSpec.Unsupported(m.getType()));
            }
        }
        Optional<Behavior> behavior = Optional.ofNullable(s.getBehavior()).map(CoreHpa::behavior);
        return new HpaSpec(HpaSpecs.minReplicas(s), s.getMaxReplicas(), metrics, behavior);
    }

    private static Behavior behavior(HorizontalPodAutoscalerBehavior b) {
        return new Behavior(rules(b.getScaleUp(), ScalingRules.DEFAULT_SCALE_UP),
                rules(b.getScaleDown(), ScalingRules.DEFAULT_SCALE_DOWN));
    }

    private static ScalingRules rules(HPAScalingRules r, ScalingRules dflt) {
        if (r == null) {
            return dflt;
        }
        List<ScalingPolicy> policies = new ArrayList<>();
        for (HPAScalingPolicy p : r.getPolicies() == null ? List.<HPAScalingPolicy>of() : r.getPolicies()) {
            policies.add(new ScalingPolicy(PolicyType.fromWire(p.getType()), p.getValue(), p.getPeriodSeconds()));
        }
        OptionalInt window = r.getStabilizationWindowSeconds() == null ? dflt.stabilizationWindowSeconds()
                : OptionalInt.of(r.getStabilizationWindowSeconds());
        return new ScalingRules(window, r.getSelectPolicy() == null ? SelectPolicy.MAX : SelectPolicy.fromWire(r.getSelectPolicy()),
                policies.isEmpty() ? dflt.policies() : policies, OptionalDouble.empty());
    }

    private static MetricTarget target(io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget t) {
        TargetType type = TargetType.fromWire(t.getType());
        return new MetricTarget(type, milli(t.getValue()), milli(t.getAverageValue()),
                t.getAverageUtilization() == null ? OptionalInt.empty() : OptionalInt.of(t.getAverageUtilization()));
    }

    private static OptionalLong milli(Quantity q) {
        if (q == null) {
            return OptionalLong.empty();
        }
        BigDecimal v = Quantity.getAmountInBytes(q).movePointRight(3);
        return OptionalLong.of(v.setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    }
}
