package io.rwautoscaler.core.hpa;

import io.rwautoscaler.core.hpa.ReplicaCalcCase.MetricType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.rwautoscaler.core.hpa.ConditionStatus.FALSE;
import static io.rwautoscaler.core.hpa.ConditionStatus.TRUE;
import static io.rwautoscaler.core.hpa.PodPhase.FAILED;
import static io.rwautoscaler.core.hpa.PodPhase.PENDING;
import static io.rwautoscaler.core.hpa.PodPhase.RUNNING;
import static io.rwautoscaler.core.hpa.ReplicaCalcCase.CONTAINERS_PER_POD;
import static io.rwautoscaler.core.hpa.ReplicaCalcCase.containerLevels;
import static io.rwautoscaler.core.hpa.ReplicaCalcCase.cool;
import static io.rwautoscaler.core.hpa.ReplicaCalcCase.cores;
import static io.rwautoscaler.core.hpa.ReplicaCalcCase.hot;
import static io.rwautoscaler.core.hpa.ReplicaCalcCase.named;
import static io.rwautoscaler.core.hpa.ReplicaCalcCase.podLevels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rows of upstream's {@code replica_calculator_test.go} (Kubernetes 1.34), each named after its upstream
 * test function, with upstream's expected replicas, utilization, raw value, usage and error texts.
 */
class ReplicaCalculatorUpstreamTest {

    private static final int N = CONTAINERS_PER_POD;

    static Stream<ReplicaCalcCase> rows() {
        return Stream.of(
                named("TestReplicaCalcDisjointResourcesMetrics").error(1, "no metrics returned matched known pods")
                        .cpu(cores(1.0), podLevels(100), 100, 0, 0).podNames("an-older-pod-name"),
                named("TestReplicaCalcScaleUp").replicas(3, 5)
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(300, 500, 700), 30, 50, N * 500),
                named("TestReplicaCalcContainerScaleUp").replicas(3, 5)
                        .cpu(cores(1.0, 1.0, 1.0), containerLevels(new long[]{1000, 300}, new long[]{1000, 500},
                                new long[]{1000, 700}), 30, 50, 500).container("container2"),
                named("TestReplicaCalcScaleUpUnreadyLessScale").replicas(3, 4).readiness(FALSE, TRUE, TRUE)
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(300, 500, 700), 30, 60, N * 600),
                named("TestReplicaCalcScaleUpContainerHotCpuLessScale").replicas(3, 4).startTimes(hot(), cool(), cool())
                        .cpu(cores(1.0, 1.0, 1.0), containerLevels(new long[]{0, 300}, new long[]{0, 500},
                                new long[]{0, 700}), 30, 60, 600).container("container2"),
                named("TestReplicaCalcScaleUpHotCpuLessScale").replicas(3, 4).startTimes(hot(), cool(), cool())
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(300, 500, 700), 30, 60, N * 600),
                named("TestReplicaCalcScaleUpUnreadyNoScale").replicas(3, 3).readiness(TRUE, FALSE, FALSE)
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(400, 500, 700), 30, 40, N * 400),
                named("TestReplicaCalcScaleHotCpuNoScale").replicas(3, 3).readiness(TRUE, FALSE, FALSE)
                        .startTimes(cool(), hot(), hot())
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(400, 500, 700), 30, 40, N * 400),
                named("TestReplicaCalcScaleUpIgnoresFailedPods").replicas(2, 4).readiness(TRUE, TRUE, FALSE, FALSE)
                        .phases(RUNNING, RUNNING, FAILED, FAILED)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), podLevels(500, 700), 30, 60, N * 600),
                named("TestReplicaCalcMissingContainerMetricScaleUpIgnoresFailedPods").replicas(2, 4)
                        .readiness(TRUE, TRUE, FALSE, FALSE).phases(RUNNING, RUNNING, FAILED, FAILED)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 500}, new long[]{9000, 700},
                                new long[]{1000}, new long[]{9000}), 30, 60, 600).container("container2"),
                named("TestReplicaCalcScaleUpContainerIgnoresFailedPods").replicas(2, 4)
                        .readiness(TRUE, TRUE, FALSE, FALSE).phases(RUNNING, RUNNING, FAILED, FAILED)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 500}, new long[]{9000, 700}),
                                30, 60, 600).container("container2"),
                named("TestReplicaCalcScaleUpIgnoresDeletionPods").replicas(2, 4).readiness(TRUE, TRUE, FALSE, FALSE)
                        .phases(RUNNING, RUNNING, RUNNING, RUNNING).deleting(false, false, true, true)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), podLevels(500, 700), 30, 60, N * 600),
                named("TestReplicaCalcScaleUpContainerIgnoresDeletionPods").replicas(2, 4)
                        .readiness(TRUE, TRUE, FALSE, FALSE).phases(RUNNING, RUNNING, RUNNING, RUNNING)
                        .deleting(false, false, true, true)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), podLevels(500, 700), 30, 60, 600).container("container1"),
                named("TestReplicaCalcScaleUpCM").replicas(3, 4)
                        .metric(MetricType.POD, new long[]{20000, 10000, 30000}, 15000, 20000),
                named("TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale").replicas(3, 6).readiness(TRUE, TRUE, FALSE)
                        .startTimes(cool(), cool(), hot())
                        .metric(MetricType.POD, new long[]{50000, 10000, 30000}, 15000, 30000),
                named("TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown").replicas(3, 7)
                        .readiness(FALSE, TRUE, FALSE).startTimes(hot(), cool(), hot())
                        .metric(MetricType.POD, new long[]{50000, 15000, 30000}, 15000, 31666),
                named("TestReplicaCalcScaleUpCMObject").replicas(3, 4)
                        .metric(MetricType.OBJECT, new long[]{20000}, 15000, 20000),
                named("TestReplicaCalcScaleUpCMPerPodObject").replicas(3, 4)
                        .metric(MetricType.OBJECT_PER_POD, new long[]{20000}, 5000, 6667),
                named("TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods").replicas(3, 5).readiness(FALSE, TRUE, FALSE)
                        .metric(MetricType.OBJECT, new long[]{50000}, 10000, 50000),
                named("TestReplicaCalcScaleUpCMExternal").replicas(1, 2)
                        .metric(MetricType.POD, new long[]{8600}, 4400, 8600),
                named("TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods").replicas(3, 2).readiness(FALSE, TRUE, FALSE)
                        .metric(MetricType.EXTERNAL, new long[]{8600}, 4400, 8600),
                named("TestReplicaCalcScaleUpCMExternalNoLabels").replicas(1, 2)
                        .metric(MetricType.POD, new long[]{8600}, 4400, 8600),
                named("TestReplicaCalcScaleUpPerPodCMExternal").replicas(3, 4)
                        .metric(MetricType.EXTERNAL_PER_POD, new long[]{8600}, 2150, 2867),
                named("TestReplicaCalcScaleDown").replicas(5, 3)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), podLevels(100, 300, 500, 250, 250), 50, 28, N * 280),
                named("TestReplicaCalcContainerScaleDown").replicas(5, 3)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 100}, new long[]{1000, 300},
                                new long[]{1000, 500}, new long[]{1000, 250}, new long[]{1000, 250}), 50, 28, 280)
                        .container("container2"),
                named("TestReplicaCalcScaleDownCM").replicas(5, 3)
                        .metric(MetricType.POD, new long[]{12000, 12000, 12000, 12000, 12000}, 20000, 12000),
                named("TestReplicaCalcScaleDownPerPodCMObject").replicas(5, 3)
                        .metric(MetricType.OBJECT_PER_POD, new long[]{6000}, 2000, 1200),
                named("TestReplicaCalcScaleDownCMObject").replicas(5, 3)
                        .metric(MetricType.OBJECT, new long[]{12000}, 20000, 12000),
                named("TestReplicaCalcScaleDownCMExternal").replicas(5, 3)
                        .metric(MetricType.EXTERNAL, new long[]{8600}, 14334, 8600),
                named("TestReplicaCalcScaleDownPerPodCMExternal").replicas(5, 3)
                        .metric(MetricType.EXTERNAL_PER_POD, new long[]{8600}, 2867, 1720),
                named("TestReplicaCalcScaleDownExcludeUnreadyPods").replicas(5, 2)
                        .readiness(TRUE, TRUE, TRUE, FALSE, FALSE)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), podLevels(100, 300, 500, 250, 250), 50, 30, N * 300),
                named("TestReplicaCalcScaleDownContainerExcludeUnreadyPods").replicas(5, 2)
                        .readiness(TRUE, TRUE, TRUE, FALSE, FALSE)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 100}, new long[]{1000, 300},
                                new long[]{1000, 500}, new long[]{1000, 250}, new long[]{1000, 250}), 50, 30, 300)
                        .container("container2"),
                named("TestReplicaCalcScaleDownExcludeUnscheduledPods").replicas(5, 1)
                        .readiness(TRUE, FALSE, FALSE, FALSE, FALSE).phases(RUNNING, PENDING, PENDING, PENDING, PENDING)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), podLevels(100), 50, 10, N * 100),
                named("TestReplicaCalcScaleDownContainerExcludeUnscheduledPods").replicas(5, 1)
                        .readiness(TRUE, FALSE, FALSE, FALSE, FALSE).phases(RUNNING, PENDING, PENDING, PENDING, PENDING)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 100}, new long[]{1000, 300},
                                new long[]{1000, 500}, new long[]{1000, 250}, new long[]{1000, 250}), 50, 10, 100)
                        .container("container2"),
                named("TestReplicaCalcScaleDownIgnoreHotCpuPods").replicas(5, 2)
                        .startTimes(cool(), cool(), cool(), hot(), hot())
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), podLevels(100, 300, 500, 250, 250), 50, 30, N * 300),
                named("TestReplicaCalcScaleDownContainerIgnoreHotCpuPods").replicas(5, 2)
                        .startTimes(cool(), cool(), cool(), hot(), hot())
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 100}, new long[]{1000, 300},
                                new long[]{1000, 500}, new long[]{1000, 1000}, new long[]{1000, 1000}), 50, 30, 300)
                        .container("container2"),
                named("TestReplicaCalcScaleDownIgnoresFailedPods").replicas(5, 3)
                        .readiness(TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE)
                        .phases(RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, FAILED, FAILED)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), podLevels(100, 300, 500, 250, 250), 50, 28, N * 280),
                named("TestReplicaCalcScaleDownContainerIgnoresFailedPods").replicas(5, 3)
                        .readiness(TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE)
                        .phases(RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, FAILED, FAILED)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 100},
                                new long[]{1000, 300}, new long[]{1000, 500}, new long[]{1000, 250},
                                new long[]{1000, 250}), 50, 28, 280).container("container2"),
                named("TestReplicaCalcScaleDownIgnoresDeletionPods").replicas(5, 3)
                        .readiness(TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE)
                        .phases(RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, RUNNING)
                        .deleting(false, false, false, false, false, true, true)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), podLevels(100, 300, 500, 250, 250), 50, 28, N * 280),
                named("TestReplicaCalcScaleDownIgnoresDeletionPods_StillRunning").replicas(5, 3)
                        .readiness(TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE)
                        .phases(RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, RUNNING, RUNNING)
                        .deleting(false, false, false, false, false, true, true)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), containerLevels(new long[]{1000, 100},
                                new long[]{1000, 300}, new long[]{1000, 500}, new long[]{1000, 250},
                                new long[]{1000, 250}), 50, 28, 280).container("container2"),
                named("TestReplicaCalcTolerance").replicas(3, 3)
                        .cpu(cores(0.9, 1.0, 1.1), podLevels(1010, 1030, 1020), 100, 102, N * 1020),
                named("TestReplicaCalcToleranceCM").replicas(3, 3)
                        .metric(MetricType.POD, new long[]{20000, 21000, 21000}, 20000, 20666),
                named("TestReplicaCalcToleranceCMObject").replicas(3, 3)
                        .metric(MetricType.OBJECT, new long[]{20666}, 20000, 20666),
                named("TestReplicaCalcTolerancePerPodCMObject").replicas(4, 4)
                        .metric(MetricType.OBJECT_PER_POD, new long[]{20166}, 5000, 5042),
                named("TestReplicaCalcToleranceCMExternal").replicas(3, 3)
                        .metric(MetricType.EXTERNAL, new long[]{8600}, 8888, 8600),
                named("TestReplicaCalcTolerancePerPodCMExternal").replicas(3, 3)
                        .metric(MetricType.EXTERNAL_PER_POD, new long[]{8600}, 2900, 2867),
                named("TestReplicaCalcSuperfluousMetrics").replicas(4, 24)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), podLevels(4000, 9500, 3000, 7000, 3200, 2000), 100, 587, N * 5875),
                named("TestReplicaCalcMissingMetrics").replicas(4, 3)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), podLevels(400, 95), 100, 24, 495),
                named("TestReplicaCalcEmptyMetrics")
                        .error(4, "unable to get metrics for resource cpu: no metrics returned from resource metrics API")
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(), 100, 0, 0),
                named("TestReplicaCalcEmptyCPURequest").error(1, "missing request for")
                        .cpu(cores(), podLevels(200), 100, 0, 0),
                named("TestPlainMetricReplicaCalcMissingMetricsNoChangeEq").replicas(5, 5)
                        .metric(MetricType.POD, new long[]{20000, 19000, 21000}, 20000, 20000),
                named("TestReplicaCalcMissingMetricsNoChangeEq").replicas(2, 2)
                        .cpu(cores(1.0, 1.0), podLevels(1000), 100, 100, N * 1000),
                named("TestReplicaCalcMissingMetricsNoChangeGt").replicas(2, 2)
                        .cpu(cores(1.0, 1.0), podLevels(1900), 100, 190, N * 1900),
                named("TestReplicaCalcMissingMetricsNoChangeLt").replicas(2, 2)
                        .cpu(cores(1.0, 1.0), podLevels(600), 100, 60, N * 600),
                named("TestReplicaCalcMissingMetricsUnreadyChange").replicas(3, 3).readiness(FALSE, TRUE, TRUE)
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(100, 450), 50, 45, N * 450),
                named("TestReplicaCalcMissingMetricsHotCpuNoChange").replicas(3, 3).startTimes(hot(), cool(), cool())
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(100, 450), 50, 45, N * 450),
                named("TestReplicaCalcMissingMetricsUnreadyScaleUp").replicas(3, 4).readiness(FALSE, TRUE, TRUE)
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(100, 2000), 50, 200, N * 2000),
                named("TestReplicaCalcMissingMetricsHotCpuScaleUp").replicas(3, 4).readiness(FALSE, TRUE, TRUE)
                        .startTimes(hot(), cool(), cool())
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(100, 2000), 50, 200, N * 2000),
                named("TestReplicaCalcMissingMetricsUnreadyScaleDown").replicas(4, 3).readiness(FALSE, TRUE, TRUE, TRUE)
                        .cpu(cores(1.0, 1.0, 1.0, 1.0), podLevels(100, 100, 100), 50, 10, N * 100),
                named("TestReplicaCalcMissingMetricsScaleDownTargetOver100").replicas(4, 2)
                        .readiness(FALSE, TRUE, TRUE, TRUE)
                        .cpu(cores(1.0, 1.0, 2.0, 2.0), podLevels(200, 100, 100), 300, 6, N * 100),
                named("TestReplicaCalcDuringRollingUpdateWithMaxSurge").replicas(2, 2).phases(RUNNING, RUNNING, RUNNING)
                        .cpu(cores(1.0, 1.0, 1.0), podLevels(100, 100), 50, 10, N * 100),
                named("TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM").replicas(2, 2).phases(RUNNING, RUNNING, RUNNING)
                        .metric(MetricType.POD, new long[]{10000, 10000}, 17000, 10000));
    }

    /** Upstream's TestReplicaCalcComputedToleranceAlgImplementation, both halves, computed as upstream does. */
    static Stream<ReplicaCalcCase> computedTolerance() {
        int startPods = 10;
        long totalUsedCPUOfAllPods = startPods * 150L;
        int totalRequestedCPUOfAllPods = (int) (2 * totalUsedCPUOfAllPods);
        double requestedToUsed = (double) (totalRequestedCPUOfAllPods / (int) totalUsedCPUOfAllPods);
        int perPodRequested = totalRequestedCPUOfAllPods / startPods;
        List<ReplicaCalcCase> cases = new ArrayList<>();
        for (double extra : new double[]{.01, .004}) {
            double target = Math.abs(1 / (requestedToUsed * (1 - 0.1))) + extra;
            int finalCPUPercentTarget = (int) (target * 100);
            double resourcesUsedRatio = totalUsedCPUOfAllPods / (totalRequestedCPUOfAllPods * target);
            int finalPods = (int) Math.ceil(resourcesUsedRatio * startPods);
            long each = totalUsedCPUOfAllPods / 10;
            int[] offsets = {100, -100, 10, -10, 2, -2, 1, -1, 0, 0};
            double[] requests = new double[10];
            for (int i = 0; i < 10; i++) {
                requests[i] = (perPodRequested + offsets[i]) / 1000.0;
            }
            ReplicaCalcCase c = named("TestReplicaCalcComputedToleranceAlgImplementation" + (extra == .01 ? "" : " (no scaling)"))
                    .replicas(startPods, extra == .01 ? finalPods : startPods)
                    .cpu(requests, podLevels(each, each, each, each, each, each, each, each, each, each),
                            finalCPUPercentTarget, (int) (totalUsedCPUOfAllPods * 100 / totalRequestedCPUOfAllPods),
                            N * totalUsedCPUOfAllPods / 10);
            cases.add(c);
        }
        return cases.stream();
    }

    static Stream<ReplicaCalcCase> allRows() {
        return Stream.concat(rows(), computedTolerance());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allRows")
    void upstreamRow(ReplicaCalcCase tc) {
        ReplicaCalculator calc = new ReplicaCalculator(ReplicaCalcCase.TESTING);
        Tolerances tolerances = Tolerances.both(0.1);
        if (tc.resource != null) {
            Optional<String> container = Optional.ofNullable(tc.container);
            if (tc.expectedError != null) {
                assertThatThrownBy(() -> calc.getResourceReplicas(tc.currentReplicas, tc.targetUtilization, tc.resource,
                        tolerances, container, tc.pods(), tc.resourceReadings(), ReplicaCalcCase.NOW))
                        .isInstanceOf(ReplicaCalculationException.class).hasMessageContaining(tc.expectedError);
                return;
            }
            ReplicaCalculator.ResourceReplicas out = calc.getResourceReplicas(tc.currentReplicas, tc.targetUtilization,
                    tc.resource, tolerances, container, tc.pods(), tc.resourceReadings(), ReplicaCalcCase.NOW);
            assertThat(out.replicas()).as("replicas").isEqualTo(tc.expectedReplicas);
            assertThat(out.utilization()).as("utilization").isEqualTo(tc.expectedUtilization);
            assertThat(out.rawAverageMilli()).as("raw value").isEqualTo(tc.expectedValue);
            return;
        }
        ReplicaCalculator.PlainReplicas out = switch (tc.metricType) {
            case OBJECT -> calc.getObjectMetricReplicas(tc.currentReplicas, tc.targetUsage, tc.metricLevels[0],
                    tolerances, tc.pods());
            case OBJECT_PER_POD -> calc.getObjectPerPodMetricReplicas(tc.currentReplicas, tc.perPodTargetUsage,
                    tc.metricLevels[0], tolerances);
            case EXTERNAL -> calc.getExternalMetricReplicas(tc.currentReplicas, tc.targetUsage, tc.externalReadings(),
                    tolerances, tc.pods());
            case EXTERNAL_PER_POD -> calc.getExternalPerPodMetricReplicas(tc.currentReplicas, tc.perPodTargetUsage,
                    tc.externalReadings(), tolerances);
            case POD -> calc.getMetricReplicas(tc.currentReplicas, tc.targetUsage, "qps", tolerances, tc.pods(),
                    tc.podReadings(), ReplicaCalcCase.NOW);
        };
        assertThat(out.replicas()).as("replicas").isEqualTo(tc.expectedReplicas);
        assertThat(out.usageMilli()).as("usage").isEqualTo(tc.expectedUsage);
    }
}
