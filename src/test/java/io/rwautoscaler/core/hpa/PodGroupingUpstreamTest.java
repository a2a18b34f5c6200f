package io.rwautoscaler.core.hpa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upstream's TestGroupPods and TestCalculatePodRequests tables ({@code replica_calculator_test.go}), with the
 * testing cpu initialization period (2 min) and readiness delay (10 s), times relative to now as upstream's.
 */
class PodGroupingUpstreamTest {

    private static final Instant NOW = ReplicaCalcCase.NOW;
    private static final ReplicaCalculator CALC = new ReplicaCalculator(ReplicaCalcCase.TESTING);

    record GroupRow(String name, List<Pod> pods, Map<String, PodMetric> metrics, String resource, int expectReady,
                    Set<String> expectUnready, Set<String> expectMissing, Set<String> expectIgnored) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Pod pod(String name, PodPhase phase, Instant startTime, Pod.ReadyCondition ready) {
        return new Pod(name, phase, false, Optional.ofNullable(startTime), Optional.ofNullable(ready), List.of(), Map.of());
    }

    static Pod.ReadyCondition ready(ConditionStatus status, Instant lastTransition) {
        return new Pod.ReadyCondition(status, lastTransition);
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    static PodMetric sample(Instant at, Duration window) {
        return new PodMetric(1, at, window);
    }

    /** A sample whose timestamp and window upstream leaves at zero values. */
    static PodMetric bare() {
        return new PodMetric(1, ReplicaCalcCase.GO_ZERO, Duration.ZERO);
    }

    static Map<String, PodMetric> metrics(Object... nameAndMetric) {
        Map<String, PodMetric> metrics = new LinkedHashMap<>();
        for (int i = 0; i < nameAndMetric.length; i += 2) {
            metrics.put((String) nameAndMetric[i], (PodMetric) nameAndMetric[i + 1]);
        }
        return metrics;
    }

    static Stream<GroupRow> groupPods() {
        Duration min = Duration.ofMinutes(1);
        return Stream.of(
                new GroupRow("void", List.of(), Map.of(), "cpu", 0, Set.of(), Set.of(), Set.of()),
                new GroupRow("count in a ready pod - memory", List.of(pod("bentham", PodPhase.SUCCEEDED, null, null)),
                        metrics("bentham", sample(NOW, min)), "memory", 1, Set.of(), Set.of(), Set.of()),
                new GroupRow("unready a pod without ready condition - CPU",
                        List.of(pod("lucretius", PodPhase.SUCCEEDED, NOW, null)), metrics("lucretius", bare()), "cpu", 0,
                        Set.of("lucretius"), Set.of(), Set.of()),
                new GroupRow("count in a ready pod with fresh metrics during initialization period - CPU",
                        List.of(pod("bentham", PodPhase.SUCCEEDED, ago(min),
                                ready(ConditionStatus.TRUE, ago(Duration.ofSeconds(30))))),
                        metrics("bentham", sample(NOW, Duration.ofSeconds(30))), "cpu", 1, Set.of(), Set.of(), Set.of()),
                new GroupRow("unready a ready pod without fresh metrics during initialization period - CPU",
                        List.of(pod("bentham", PodPhase.SUCCEEDED, ago(min),
                                ready(ConditionStatus.TRUE, ago(Duration.ofSeconds(30))))),
                        metrics("bentham", sample(NOW, Duration.ofSeconds(60))), "cpu", 0, Set.of("bentham"), Set.of(),
                        Set.of()),
                new GroupRow("unready an unready pod during initialization period - CPU",
                        List.of(pod("lucretius", PodPhase.SUCCEEDED, ago(Duration.ofMinutes(10)),
                                ready(ConditionStatus.FALSE, ago(Duration.ofMinutes(9).plusSeconds(54))))),
                        metrics("lucretius", bare()), "cpu", 0, Set.of("lucretius"), Set.of(), Set.of()),
                new GroupRow("count in a ready pod without fresh metrics after initialization period - CPU",
                        List.of(pod("bentham", PodPhase.SUCCEEDED, ago(Duration.ofMinutes(3)),
                                ready(ConditionStatus.TRUE, ago(Duration.ofMinutes(3))))),
                        metrics("bentham", sample(ago(Duration.ofMinutes(2)), min)), "cpu", 1, Set.of(), Set.of(), Set.of()),
                new GroupRow("count in an unready pod that was ready after initialization period - CPU",
                        List.of(pod("lucretius", PodPhase.SUCCEEDED, ago(Duration.ofMinutes(10)),
                                ready(ConditionStatus.FALSE, ago(Duration.ofMinutes(9))))),
                        metrics("lucretius", bare()), "cpu", 1, Set.of(), Set.of(), Set.of()),
                new GroupRow("unready pod that has never been ready after initialization period - CPU",
                        List.of(pod("lucretius", PodPhase.SUCCEEDED, ago(Duration.ofMinutes(10)),
                                ready(ConditionStatus.FALSE, ago(Duration.ofMinutes(9).plusSeconds(50))))),
                        metrics("lucretius", bare()), "cpu", 1, Set.of(), Set.of(), Set.of()),
                new GroupRow("a missing pod", List.of(pod("epicurus", PodPhase.SUCCEEDED, ago(Duration.ofMinutes(3)), null)),
                        Map.of(), "cpu", 0, Set.of(), Set.of("epicurus"), Set.of()),
                new GroupRow("several pods", List.of(
                        pod("lucretius", PodPhase.SUCCEEDED, NOW, null),
                        pod("niccolo", PodPhase.SUCCEEDED, ago(Duration.ofMinutes(3)),
                                ready(ConditionStatus.TRUE, ago(Duration.ofMinutes(3)))),
                        pod("epicurus", PodPhase.SUCCEEDED, ago(Duration.ofMinutes(3)), null)),
                        metrics("lucretius", bare(), "niccolo", bare()), "cpu", 1, Set.of("lucretius"),
                        Set.of("epicurus"), Set.of()),
                new GroupRow("pending pods are unreadied", List.of(pod("unscheduled", PodPhase.PENDING, null, null)),
                        Map.of(), "cpu", 0, Set.of("unscheduled"), Set.of(), Set.of()),
                new GroupRow("ignore pods with deletion timestamps", List.of(new Pod("deleted", PodPhase.PENDING, true,
                        Optional.empty(), Optional.empty(), List.of(), Map.of())), metrics("deleted", bare()), "cpu", 0,
                        Set.of(), Set.of(), Set.of("deleted")),
                new GroupRow("ignore pods in a failed state", List.of(pod("failed", PodPhase.FAILED, null, null)),
                        metrics("failed", bare()), "cpu", 0, Set.of(), Set.of(), Set.of("failed")));
    }

    @ParameterizedTest(name = "TestGroupPods: {0}")
    @MethodSource
    void groupPods(GroupRow tc) {
        ReplicaCalculator.PodGroups groups = CALC.groupPods(tc.pods, tc.metrics, tc.resource, NOW);
        assertThat(groups.readyPodCount()).as("ready").isEqualTo(tc.expectReady);
        assertThat(groups.unready()).as("unready").containsExactlyInAnyOrderElementsOf(tc.expectUnready);
        assertThat(groups.missing()).as("missing").containsExactlyInAnyOrderElementsOf(tc.expectMissing);
        assertThat(groups.ignored()).as("ignored").containsExactlyInAnyOrderElementsOf(tc.expectIgnored);
    }

    record RequestsRow(String name, List<Pod> pods, String container, Map<String, Long> expectedRequests,
                       String expectedError) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Pod withContainers(Pod.Container... containers) {
        return new Pod("test-pod", PodPhase.RUNNING, false, Optional.empty(), Optional.empty(), List.of(containers),
                Map.of());
    }

    static Stream<RequestsRow> calculatePodRequests() {
        Pod.Container c1 = Pod.Container.of("container1", Map.of("cpu", 100L));
        Pod.Container c2 = Pod.Container.of("container2", Map.of("cpu", 50L));
        return Stream.of(
                new RequestsRow("void", List.of(), "", Map.of(), null),
                new RequestsRow("pod with regular containers", List.of(withContainers(c1, c2)), "",
                        Map.of("test-pod", 150L), null),
                new RequestsRow("calculate requests with special container", List.of(withContainers(c1, c2)), "container1",
                        Map.of("test-pod", 100L), null),
                new RequestsRow("container missing requests", List.of(withContainers(Pod.Container.of("container1", Map.of()))),
                        "", null, "missing request for cpu in container container1 of Pod test-pod"),
                // a plain init container (20m) is not counted, a restartable one (sidecar, 50m) is
                new RequestsRow("pod with restartable init containers", List.of(withContainers(c1,
                        new Pod.Container("restartable-container1", Map.of("cpu", 50L), true))), "",
                        Map.of("test-pod", 150L), null));
    }

    @ParameterizedTest(name = "TestCalculatePodRequests: {0}")
    @MethodSource
    void calculatePodRequests(RequestsRow tc) {
        if (tc.expectedError != null) {
            assertThatThrownBy(() -> ReplicaCalculator.calculateRequests(tc.pods, tc.container, "cpu"))
                    .isInstanceOf(ReplicaCalculationException.class).hasMessage(tc.expectedError);
            return;
        }
        assertThat(ReplicaCalculator.calculateRequests(tc.pods, tc.container, "cpu")).isEqualTo(tc.expectedRequests);
    }
}
