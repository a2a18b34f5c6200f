package io.rwautoscaler.lab;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.rwautoscaler.core.hpa.ControllerSettings;
import io.rwautoscaler.core.hpa.HpaController;
import io.rwautoscaler.core.hpa.HpaDecision;
import io.rwautoscaler.core.hpa.HpaHistory;
import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.hpa.MetricReadings;
import io.rwautoscaler.core.hpa.MetricSelector;
import io.rwautoscaler.core.hpa.MetricUnavailableException;
import io.rwautoscaler.core.hpa.ObjectReference;
import io.rwautoscaler.core.hpa.Pod;
import io.rwautoscaler.core.hpa.PodMetric;
import io.rwautoscaler.core.hpa.PodPhase;
import io.rwautoscaler.core.hpa.Scale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * fabric8's autoscaling/v2 model to core.hpa: the product's converter ({@code io.rwautoscaler.hpa.HpaSpecs}), with
     * kube-apiserver's defaulting and validation.
     */
    static HpaSpec toCore(HorizontalPodAutoscalerSpec s) {
        return io.rwautoscaler.hpa.HpaSpecs.fromSpec(s);
    }
}
