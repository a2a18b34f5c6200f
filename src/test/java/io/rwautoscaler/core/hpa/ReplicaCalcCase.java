package io.rwautoscaler.core.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of upstream's {@code replica_calculator_test.go} ({@code replicaCalcTestCase}) and the harness that
 * turns it into pods and readings the way upstream's fake clients do: {@code currentReplicas} pods (more when
 * {@code podPhase} lists more) named {@code test-pod-N}, two containers each requesting {@code requests[N]},
 * Ready True unless {@code podReadiness} says otherwise, start time and Ready transition at Go's zero time
 * unless {@code podStartTime} gives one, samples with a one-minute window stamped at the zero time.
 */
final class ReplicaCalcCase {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    /** Go's zero {@code time.Time}: what upstream's test pods carry when the case sets no time. */
    static final Instant GO_ZERO = Instant.parse("0001-01-01T00:00:00Z");
    /** Upstream's testing defaults: tolerance 0.1, cpu initialization 2 min, readiness delay 10 s. */
    static final ControllerSettings TESTING = new ControllerSettings(0.1, Duration.ofMinutes(2), Duration.ofSeconds(10),
            Duration.ofMinutes(5));
    static final int CONTAINERS_PER_POD = 2;

    enum MetricType { OBJECT, OBJECT_PER_POD, EXTERNAL, EXTERNAL_PER_POD, POD }

    final String name;
    int currentReplicas;
    int expectedReplicas;
    String expectedError;
    String container;

    // resource
    String resource;
    List<Long> requestsMilli;
    List<long[]> levels;
    List<String> podNames = List.of();
    int targetUtilization;
    int expectedUtilization;
    long expectedValue;

    // custom metric
    MetricType metricType;
    long[] metricLevels;
    long targetUsage;
    long perPodTargetUsage;
    long expectedUsage;

    List<ConditionStatus> podReadiness;
    List<Instant> podStartTime;
    List<PodPhase> podPhase;
    List<Boolean> podDeletionTimestamp;

    ReplicaCalcCase(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }

    static ReplicaCalcCase named(String name) {
        return new ReplicaCalcCase(name);
    }

    ReplicaCalcCase replicas(int current, int expected) {
        this.currentReplicas = current;
        this.expectedReplicas = expected;
        return this;
    }

    ReplicaCalcCase error(int current, String expectedError) {
        this.currentReplicas = current;
        this.expectedError = expectedError;
        return this;
    }

    /** A cpu resource case; requests in cores ("1.0" = 1000m). */
    ReplicaCalcCase cpu(double[] requestsCores, List<long[]> levels, int target, int expectedUtilization,
                        long expectedValue) {
        this.resource = "cpu";
        this.requestsMilli = Arrays.stream(requestsCores).mapToObj(c -> Math.round(c * 1000)).toList();
        this.levels = levels;
        this.targetUtilization = target;
        this.expectedUtilization = expectedUtilization;
        this.expectedValue = expectedValue;
        return this;
    }

    ReplicaCalcCase metric(MetricType type, long[] levels, long target, long expectedUsage) {
        this.metricType = type;
        this.metricLevels = levels;
        if (type == MetricType.OBJECT_PER_POD || type == MetricType.EXTERNAL_PER_POD) {
            this.perPodTargetUsage = target;
        } else {
            this.targetUsage = target;
        }
        this.expectedUsage = expectedUsage;
        return this;
    }

    ReplicaCalcCase container(String container) {
        this.container = container;
        return this;
    }

    ReplicaCalcCase podNames(String... names) {
        this.podNames = List.of(names);
        return this;
    }

    ReplicaCalcCase readiness(ConditionStatus... statuses) {
        this.podReadiness = List.of(statuses);
        return this;
    }

    ReplicaCalcCase startTimes(Instant... times) {
        this.podStartTime = List.of(times);
        return this;
    }

    ReplicaCalcCase phases(PodPhase... phases) {
        this.podPhase = List.of(phases);
        return this;
    }

    ReplicaCalcCase deleting(Boolean... deleting) {
        this.podDeletionTimestamp = List.of(deleting);
        return this;
    }

    /** upstream's hotCPUCreationTime: a pod started now, still in its cpu initialization period. */
    static Instant hot() {
        return NOW;
    }

    /** upstream's coolCPUCreationTime: a pod started 3 minutes ago, past the 2-minute initialization period. */
    static Instant cool() {
        return NOW.minus(Duration.ofMinutes(3));
    }

    /** upstream's makePodMetricLevels: each pod's two containers at the same level. */
    static List<long[]> podLevels(long... perContainer) {
        List<long[]> levels = new ArrayList<>();
        for (long level : perContainer) {
            long[] containers = new long[CONTAINERS_PER_POD];
            Arrays.fill(containers, level);
            levels.add(containers);
        }
        return levels;
    }

    static List<long[]> containerLevels(long[]... levels) {
        return List.of(levels);
    }

    static double[] cores(double... cores) {
        return cores;
    }

    List<Pod> pods() {
        int podsCount = currentReplicas;
        if (podPhase != null && podPhase.size() > podsCount) {
            podsCount = podPhase.size();
        }
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < podsCount; i++) {
            ConditionStatus readiness = podReadiness != null && i < podReadiness.size() ? podReadiness.get(i)
                    : ConditionStatus.TRUE;
            Instant start = podStartTime != null ? podStartTime.get(i) : GO_ZERO;
            PodPhase phase = podPhase != null ? podPhase.get(i) : PodPhase.RUNNING;
            boolean deletion = podDeletionTimestamp != null && podDeletionTimestamp.get(i);
            Map<String, Long> requests = resource != null && i < requestsMilli.size()
                    ? Map.of(resource, requestsMilli.get(i)) : Map.of();
            pods.add(new Pod("test-pod-" + i, phase, deletion, Optional.of(start),
                    // upstream's test pods set no LastTransitionTime: Go's zero time
                    Optional.of(new Pod.ReadyCondition(readiness, GO_ZERO)),
                    List.of(Pod.Container.of("container1", requests), Pod.Container.of("container2", requests)),
                    Map.of()));
        }
        return pods;
    }

    /** What the resource metrics API would return: per pod the containers' sum, or the one named container. */
    Map<String, PodMetric> resourceReadings() {
        Map<String, PodMetric> readings = new LinkedHashMap<>();
        for (int i = 0; i < levels.size(); i++) {
            String podName = podNames.size() > i ? podNames.get(i) : "test-pod-" + i;
            long[] containers = levels.get(i);
            long value;
            if (container == null) {
                value = Arrays.stream(containers).sum();
            } else {
                int index = Integer.parseInt(container.substring("container".length())) - 1;
                if (index >= containers.length) {
                    continue; // no sample for that container in this pod
                }
                value = containers[index];
            }
            readings.put(podName, new PodMetric(value, GO_ZERO, Duration.ofMinutes(1)));
        }
        return readings;
    }

    Map<String, PodMetric> podReadings() {
        Map<String, PodMetric> readings = new LinkedHashMap<>();
        for (int i = 0; i < metricLevels.length; i++) {
            readings.put("test-pod-" + i, new PodMetric(metricLevels[i], GO_ZERO, Duration.ofMinutes(1)));
        }
        return readings;
    }

    List<Long> externalReadings() {
        return Arrays.stream(metricLevels).boxed().toList();
    }
}
