package io.rwautoscaler.hpa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.rwautoscaler.core.hpa.Behavior;
import io.rwautoscaler.core.hpa.ControllerSettings;
import io.rwautoscaler.core.hpa.HpaController;
import io.rwautoscaler.core.hpa.HpaDecision;
import io.rwautoscaler.core.hpa.HpaHistory;
import io.rwautoscaler.core.hpa.MetricReadings;
import io.rwautoscaler.core.hpa.MetricUnavailableException;
import io.rwautoscaler.core.hpa.Pod;
import io.rwautoscaler.core.hpa.PodMetric;
import io.rwautoscaler.core.hpa.Scale;
import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.hpa.MetricSelector;
import io.rwautoscaler.core.hpa.MetricSpec;
import io.rwautoscaler.core.hpa.MetricTarget;
import io.rwautoscaler.core.hpa.ObjectReference;
import io.rwautoscaler.core.hpa.ScalingPolicy;
import io.rwautoscaler.core.hpa.ScalingRules;
import io.rwautoscaler.core.hpa.SelectPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HPA manifests as users write them, read with Jackson into fabric8's model, then converted. */
class HpaSpecsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static HpaSpec manifest(String yaml) throws Exception {
        return HpaSpecs.fromManifest(YAML.readValue(yaml, HorizontalPodAutoscaler.class));
    }

    static HpaSpec spec(String yaml) throws Exception {
        return HpaSpecs.fromSpec(YAML.readValue(yaml, HorizontalPodAutoscalerSpec.class));
    }

    static final String RUNBOOK = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: thanos-receive, namespace: monitoring}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: thanos-receive}
              minReplicas: 3
              maxReplicas: 10
              metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                - type: Resource
                  resource: {name: memory, target: {type: Utilization, averageUtilization: 75}}
                - type: Pods
                  pods:
                    metric: {name: prometheus_remote_storage_queue_length}
                    target: {type: AverageValue, averageValue: "3000"}
              behavior:
                scaleUp:
                  stabilizationWindowSeconds: 300
                  policies: [{type: Percent, value: 50, periodSeconds: 60}]
                scaleDown:
                  stabilizationWindowSeconds: 600
                  policies: [{type: Pods, value: 1, periodSeconds: 300}]
            """;

    @Test
    void theRunbooksHpa() throws Exception {
        HpaSpec spec = manifest(RUNBOOK);
        assertThat(spec.minReplicas()).isEqualTo(3);
        assertThat(spec.maxReplicas()).isEqualTo(10);
        assertThat(spec.metrics()).containsExactly(
                new MetricSpec.Resource("cpu", MetricTarget.utilization(70)),
                new MetricSpec.Resource("memory", MetricTarget.utilization(75)),
                new MetricSpec.Pods("prometheus_remote_storage_queue_length", Optional.empty(),
                        MetricTarget.averageValueMilli(3_000_000)));
        assertThat(spec.behavior()).hasValue(new Behavior(
                ScalingRules.of(300, SelectPolicy.MAX, ScalingPolicy.percent(50, 60)),
                ScalingRules.of(600, SelectPolicy.MAX, ScalingPolicy.pods(1, 300))));
    }

    @Test
    void theRunbooksHpaRunsThroughThePort() throws Exception {
        // queue at twice its 3000 target on 3 receivers (cpu and memory within target): wants 6; the 300 s up window,
        // seeded with the current 3 on the first sync, holds until it passes; then +50 % per 60 s: 3 -> 5, and 6 once
        // the 300 s event is a full period old (an event exactly periodSeconds old no longer counts)
        HpaSpec spec = manifest(RUNBOOK);
        HpaController controller = new HpaController(ControllerSettings.DEFAULTS);
        Instant start = Instant.parse("2026-12-04T12:00:00Z");
        HpaHistory history = HpaHistory.NEW;
        int replicas = 3;
        List<String> events = new ArrayList<>();
        for (int sync = 0; sync <= 40; sync++) {
            Instant now = start.plusSeconds(15L * sync);
            List<Pod> pods = new ArrayList<>();
            Map<String, PodMetric> cpu = new LinkedHashMap<>();
            Map<String, PodMetric> memory = new LinkedHashMap<>();
            Map<String, PodMetric> queue = new LinkedHashMap<>();
            for (int i = 0; i < replicas; i++) {
                String name = "thanos-receive-" + i;
                pods.add(Pod.running(name, start.minusSeconds(3600), List.of(Pod.Container.of("receive",
                        Map.of("cpu", 1000L, "memory", 2048L * 1024 * 1024 * 1000)))));
                cpu.put(name, new PodMetric(650, now, Duration.ofMinutes(1)));
                memory.put(name, new PodMetric(1228L * 1024 * 1024 * 1000, now, Duration.ofMinutes(1)));
                queue.put(name, new PodMetric(18_000_000L / replicas, now, Duration.ofMinutes(1)));
            }
            MetricReadings readings = new MetricReadings() {
                @Override
                public Map<String, PodMetric> resource(String resource, Optional<String> container) {
                    return resource.equals("cpu") ? cpu : memory;
                }

                @Override
                public Map<String, PodMetric> pods(String metricName, Optional<MetricSelector> selector) {
                    return queue;
                }

                @Override
                public long object(ObjectReference describedObject, String metricName, Optional<MetricSelector> selector) {
                    throw new MetricUnavailableException("none");
                }

                @Override
                public List<Long> external(String metricName, Optional<MetricSelector> selector) {
                    throw new MetricUnavailableException("none");
                }
            };
            HpaDecision decision = controller.sync(spec, Scale.of(replicas), pods, readings, history, now);
            history = decision.history();
            decision.eventMessage().ifPresent(m -> events.add(now.getEpochSecond() - start.getEpochSecond() + "s " + m));
            replicas = decision.desiredReplicas();
        }
        assertThat(events).containsExactly(
                "300s New size: 5; reason: pods metric prometheus_remote_storage_queue_length above target",
                "360s New size: 6; reason: pods metric prometheus_remote_storage_queue_length above target");
    }

    @Test
    void anEmptyBehaviorGetsUpstreamsDefaultRulesAndLeavesTheScaleDownWindowToTheController() throws Exception {
        HpaSpec spec = spec("{maxReplicas: 5, behavior: {}}");
        assertThat(spec.behavior()).hasValue(Behavior.DEFAULT);
        assertThat(Behavior.DEFAULT.scaleUp()).isEqualTo(new ScalingRules(OptionalInt.of(0), SelectPolicy.MAX,
                List.of(ScalingPolicy.pods(4, 15), ScalingPolicy.percent(100, 15)), OptionalDouble.empty()));
        assertThat(Behavior.DEFAULT.scaleDown().stabilizationWindowSeconds()).isEmpty();
        assertThat(Behavior.DEFAULT.scaleDown().policies()).containsExactly(ScalingPolicy.percent(100, 15));
    }

    @Test
    void aPartialRuleKeepsTheDefaultsOfTheFieldsItLeavesOut() throws Exception {
        HpaSpec spec = spec("""
                maxReplicas: 5
                behavior:
                  scaleUp: {policies: [{type: Pods, value: 2, periodSeconds: 30}]}
                  scaleDown: {selectPolicy: Disabled, tolerance: "0.05"}
                """);
        Behavior behavior = spec.behavior().orElseThrow();
        assertThat(behavior.scaleUp()).isEqualTo(ScalingRules.of(0, SelectPolicy.MAX, ScalingPolicy.pods(2, 30)));
        assertThat(behavior.scaleDown()).isEqualTo(new ScalingRules(OptionalInt.empty(), SelectPolicy.DISABLED,
                List.of(ScalingPolicy.percent(100, 15)), OptionalDouble.of(0.05)));
    }

    @Test
    void anEmptyPolicyListKeepsTheDefaultPolicies() throws Exception {
        // kube-apiserver rejects `policies: []`; fabric8's model cannot tell it from an absent list
        HpaSpec spec = spec("{maxReplicas: 3, behavior: {scaleUp: {policies: []}}}");
        assertThat(spec.behavior().orElseThrow().scaleUp()).isEqualTo(ScalingRules.DEFAULT_SCALE_UP);
    }

    @Test
    void defaultsWithoutBehaviorMinReplicasOrMetrics() throws Exception {
        HpaSpec spec = spec("{maxReplicas: 4}");
        assertThat(spec.minReplicas()).isEqualTo(1);
        assertThat(spec.metrics()).containsExactly(new MetricSpec.Resource("cpu", MetricTarget.utilization(80)));
        assertThat(spec.behavior()).as("an absent behavior stays absent: the legacy normalization").isEmpty();
    }

    @Test
    void objectExternalAndContainerResourceMetricsWithSelectorsAndQuantities() throws Exception {
        HpaSpec spec = spec("""
                minReplicas: 0
                maxReplicas: 8
                metrics:
                  - type: Object
                    object:
                      describedObject: {apiVersion: v1, kind: Service, name: thanos-receive}
                      metric: {name: requests_per_second, selector: {matchLabels: {code: "200"}}}
                      target: {type: Value, value: 1500m}
                  - type: External
                    external:
                      metric:
                        name: queue_backlog
                        selector:
                          matchExpressions: [{key: cluster, operator: In, values: [a, b]}]
                      target: {type: AverageValue, averageValue: 2k}
                  - type: ContainerResource
                    containerResource: {name: memory, container: receive, target: {type: AverageValue, averageValue: 1Gi}}
                """);
        assertThat(spec.minReplicas()).isZero();
        assertThat(spec.metrics()).containsExactly(
                new MetricSpec.ObjectMetric(new ObjectReference("v1", "Service", "thanos-receive"), "requests_per_second",
                        Optional.of(new MetricSelector(Map.of("code", "200"), List.of())), MetricTarget.valueMilli(1500)),
                new MetricSpec.External("queue_backlog", Optional.of(new MetricSelector(Map.of(),
                        List.of(new MetricSelector.Requirement("cluster", "In", List.of("a", "b"))))),
                        MetricTarget.averageValueMilli(2_000_000)),
                new MetricSpec.ContainerResource("memory", "receive",
                        MetricTarget.averageValueMilli(1024L * 1024 * 1024 * 1000)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Utilization target on a Pods metric | {maxReplicas: 3, metrics: [{type: Pods, pods: {metric: {name: q}, target: {type: Utilization, averageUtilization: 50}}}]} | spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue
            Utilization type on a Pods metric with a value | {maxReplicas: 3, metrics: [{type: Pods, pods: {metric: {name: q}, target: {type: Utilization, averageValue: 5}}}]} | Utilization targets apply only to Resource and ContainerResource metrics
            Value target on a Resource metric | {maxReplicas: 3, metrics: [{type: Resource, resource: {name: cpu, target: {type: Value, value: 1}}}]} | spec.metrics[0].resource.target.value: Forbidden
            both value and averageValue on External | {maxReplicas: 3, metrics: [{type: External, external: {metric: {name: q}, target: {type: Value, value: 1, averageValue: 1}}}]} | may not set both a target value for metric and a per-pod target
            type without its field | {maxReplicas: 3, metrics: [{type: Object, object: {describedObject: {kind: Service, name: s}, metric: {name: q}, target: {type: Value, averageValue: 1}}}]} | spec.metrics[0].object.target.value: Required value: type Value needs value
            unknown metric source type | {maxReplicas: 3, metrics: [{type: CheddarCheese}]} | spec.metrics[0].type: Unsupported value: "CheddarCheese"
            source not matching the type | {maxReplicas: 3, metrics: [{type: Pods, resource: {name: cpu, target: {type: Utilization, averageUtilization: 5}}}]} | spec.metrics[0].resource: Forbidden: must populate the given metric source only
            zero utilization | {maxReplicas: 3, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 0}}}]} | averageUtilization: Invalid value: 0: must be greater than 0
            negative average value | {maxReplicas: 3, metrics: [{type: Pods, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: "-1"}}}]} | must be positive
            maxReplicas below minReplicas | {minReplicas: 5, maxReplicas: 3} | spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas` (5)
            missing maxReplicas | {minReplicas: 2} | spec.maxReplicas: Required value
            scale to zero without Object or External | {minReplicas: 0, maxReplicas: 3} | scaling to zero needs at least one Object or External metric
            misspelt behavior | {maxReplicas: 3, behaviour: {}} | spec.behaviour: unknown field
            unknown policy type | {maxReplicas: 3, behavior: {scaleDown: {policies: [{type: Replicas, value: 1, periodSeconds: 60}]}}} | spec.behavior.scaleDown.policies[0].type: Unsupported value: "Replicas"
            period over 30 minutes | {maxReplicas: 3, behavior: {scaleDown: {policies: [{type: Pods, value: 1, periodSeconds: 3600}]}}} | periodSeconds: Invalid value: 3600: must be less than or equal to 1800
            stabilization over an hour | {maxReplicas: 3, behavior: {scaleDown: {stabilizationWindowSeconds: 7200}}} | stabilizationWindowSeconds: Invalid value: 7200: must be less than or equal to 3600
            unknown selectPolicy | {maxReplicas: 3, behavior: {scaleUp: {selectPolicy: Maximum}}} | selectPolicy: Unsupported value: "Maximum"
            """)
    void rejectsWhatKubeApiserverWouldWithTheFieldPath(String name, String yaml, String expected) {
        assertThatThrownBy(() -> spec(yaml)).isInstanceOf(InvalidHpaSpecException.class).hasMessageContaining(expected);
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> spec("""
                minReplicas: 4
                maxReplicas: 2
                metrics: [{type: Pods, pods: {metric: {name: q}, target: {type: Utilization, averageUtilization: 50}}}]
                behavior: {scaleUp: {policies: [{type: Pods, value: 0, periodSeconds: 15}]}}
                """))
                .isInstanceOfSatisfying(InvalidHpaSpecException.class, e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(3)
                        .anySatisfy(p -> assertThat(p).startsWith("spec.metrics[0].pods.target"))
                        .anySatisfy(p -> assertThat(p).startsWith("spec.maxReplicas"))
                        .anySatisfy(p -> assertThat(p).startsWith("spec.behavior.scaleUp.policies[0].value")));
    }

    @Test
    void aManifestOfAnotherKindOrVersionIsRejected() {
        assertThatThrownBy(() -> manifest("{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, spec: {maxReplicas: 3}}"))
                .hasMessageContaining("apiVersion: Unsupported value: \"autoscaling/v1\"");
        assertThatThrownBy(() -> manifest("{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler}"))
                .hasMessageContaining("spec: Required value");
    }
}
