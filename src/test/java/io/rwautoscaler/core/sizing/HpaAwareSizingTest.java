package io.rwautoscaler.core.sizing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.rwautoscaler.core.sizing.UsageShapes.GI;
import static io.rwautoscaler.core.sizing.UsageShapes.MI;
import static io.rwautoscaler.core.sizing.UsageShapes.NOW;
import static io.rwautoscaler.core.sizing.UsageShapes.RECEIVERS;
import static io.rwautoscaler.core.sizing.UsageShapes.flatWeek;
import static io.rwautoscaler.core.sizing.UsageShapes.lastPoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Workloads an HPA scales: requests of the scaled-on resources stay, replicas are sized instead. */
class HpaAwareSizingTest {

    /** The runbook's receiver HPA: 3..10 replicas, CPU 70 %, memory 75 %, and a Pods metric (queue length). */
    static final Hpa RUNBOOK_HPA = new Hpa("thanos-receive", 3, 10, OptionalInt.of(70), OptionalInt.of(75), true);
    static final ContainerResources RECEIVER_RESOURCES = ContainerResources.requests(1, 2 * GI).withLimits(4, 8 * GI);
    static final RightSizer SIZER = new RightSizer(SizingPolicy.defaults(), CostModel.perPodHour("0.05"));

    static WorkloadUsage receivers(int replicas, Hpa hpa, UsageSeries cpu, UsageSeries memory) {
        return new WorkloadUsage(RECEIVERS, replicas,
                List.of(new ContainerUsage("thanos-receive", RECEIVER_RESOURCES, cpu, memory)), Optional.of(hpa));
    }

    @Test
    void theRunbooksReceiversScaleInFromFiveToThreeSaving73AMonth() {
        // CPU averages 0.35 of a 1-core request (35 %) against the 70 % target: ceil(5 × 35 / 70) = ceil(2.5) = 3.
        // Memory averages 0.8Gi of 2Gi (40 %) against 75 %: ceil(5 × 40 / 75) = ceil(2.67) = 3. The HPA takes the
        // larger, 3, which is also its minReplicas. 2 pods × $0.05/h × 730 h = $73.00 a month.
        WorkloadRecommendation r = SIZER.recommend(receivers(5, RUNBOOK_HPA, flatWeek(0.35), flatWeek(0.8 * GI)), NOW);

        ReplicaRecommendation replicas = r.replicas().orElseThrow();
        assertThat(replicas.current()).isEqualTo(5);
        assertThat(replicas.recommended()).isEqualTo(3);
        assertThat(replicas.verdict()).isEqualTo(Verdict.RESIZE);
        assertThat(replicas.delta().getAsDouble()).isCloseTo(-0.4, within(1e-12));
        assertThat(replicas.cpuUtilization().getAsDouble()).isCloseTo(0.35, within(1e-12));
        assertThat(replicas.memoryUtilization().getAsDouble()).isCloseTo(0.4, within(1e-12));
        assertThat(replicas.reason()).isEqualTo("HPA thanos-receive: "
                + "cpu 35% of the 70% target at 5 replicas → ceil(5 × 35 / 70) = 3; "
                + "memory 40% of the 75% target at 5 replicas → ceil(5 × 40 / 75) = 3; "
                + "5 → 3 replicas (-40%); requests of the resources it scales on are kept; "
                + "it also scales on other metrics, which may hold more replicas");

        ContainerRecommendation c = r.containers().get(0);
        assertThat(c.cpu().verdict()).isEqualTo(Verdict.HPA_MANAGED);
        assertThat(c.memory().verdict()).isEqualTo(Verdict.HPA_MANAGED);
        assertThat(c.recommended()).isEqualTo(RECEIVER_RESOURCES);
        assertThat(c.cpu().reason()).isEqualTo(
                "cpu request kept at 1000m: HPA thanos-receive scales on cpu utilization (target 70%), so replicas are sized instead");
        assertThat(c.flagged()).isFalse();

        assertThat(r.flagged()).isTrue();
        assertThat(r.cost()).isEqualTo(new MonthlyCost(new BigDecimal("182.50"), new BigDecimal("109.50"),
                new BigDecimal("73.00")));
    }

    // replicas × mean utilization / target, rounded up, within the HPA's min/max. Request 1 core, so usage = utilization.
    @ParameterizedTest(name = "{0} replicas at {1} of {2}% → {5}")
    @CsvSource({
            "5,  0.35, 70, 3, 10, 3, RESIZE",
            "5,  0.70, 70, 3, 10, 5, KEEP",     // on target: exactly 5, not 6 from float noise
            "5,  0.10, 70, 3, 10, 3, RESIZE",   // needs 1, held at minReplicas
            "5,  0.10, 70, 1, 10, 1, RESIZE",
            "5,  0.00, 70, 1, 10, 1, RESIZE",   // never zero
            "4,  0.35, 70, 1, 10, 2, RESIZE",
            "3,  0.90, 70, 3, 10, 4, RESIZE",   // under-provisioned: scale out
            "10, 0.90, 70, 3, 10, 10, RESIZE",  // needs 13, capped at maxReplicas: flagged to raise it
            "5,  0.60, 70, 3, 10, 5, KEEP",     // ceil(4.29) = 5
            "5,  0.55, 70, 3, 10, 4, KEEP",     // ceil(3.93) = 4: -20 % is not above the threshold
    })
    void replicasNeededAtTheTarget(int current, double utilization, int target, int min, int max, int expected,
                                   Verdict verdict) {
        Hpa hpa = new Hpa("h", min, max, OptionalInt.of(target), OptionalInt.empty(), false);
        ReplicaRecommendation r = SIZER.recommend(receivers(current, hpa, flatWeek(utilization), flatWeek(GI)), NOW)
                .replicas().orElseThrow();
        assertThat(r.recommended()).isEqualTo(expected);
        assertThat(r.verdict()).isEqualTo(verdict);
    }

    @Test
    void heldAtMinReplicasSaysSo() {
        Hpa hpa = new Hpa("thanos-receive", 3, 10, OptionalInt.of(70), OptionalInt.empty(), false);
        ReplicaRecommendation r = SIZER.recommend(receivers(5, hpa, flatWeek(0.1), flatWeek(GI)), NOW).replicas().orElseThrow();
        assertThat(r.reason()).isEqualTo("HPA thanos-receive: cpu 10% of the 70% target at 5 replicas → ceil(5 × 10 / 70) = 1; "
                + "held at minReplicas 3; 5 → 3 replicas (-40%); requests of the resources it scales on are kept");
    }

    @Test
    void cappedAtMaxReplicasSaysToRaiseIt() {
        ReplicaRecommendation r = SIZER.recommend(receivers(10, RUNBOOK_HPA, flatWeek(0.9), flatWeek(GI)), NOW)
                .replicas().orElseThrow();
        assertThat(r.recommended()).isEqualTo(10);
        assertThat(r.verdict()).isEqualTo(Verdict.RESIZE);
        assertThat(r.reason()).contains("cpu 90% of the 70% target at 10 replicas → ceil(10 × 90 / 70) = 13; ",
                "; capped at maxReplicas 10, raise it; 10 → 10 replicas (0%); ");
    }

    @Test
    void theBusierResourceDecides() {
        // The runbook's sample status shows memory at 60 % of 75 %: ceil(5 × 60 / 75) = 4 replicas, not 3, and
        // 5 → 4 (-20 %) is not above the threshold, so nothing is flagged and nothing is saved.
        WorkloadRecommendation r = SIZER.recommend(receivers(5, RUNBOOK_HPA, flatWeek(0.35), flatWeek(1.2 * GI)), NOW);
        ReplicaRecommendation replicas = r.replicas().orElseThrow();
        assertThat(replicas.recommended()).isEqualTo(4);
        assertThat(replicas.reason()).contains("memory 60% of the 75% target at 5 replicas → ceil(5 × 60 / 75) = 4");
        assertThat(replicas.verdict()).isEqualTo(Verdict.KEEP);
        assertThat(r.flagged()).isFalse();
        assertThat(r.cost().saving()).isEqualByComparingTo("0");
    }

    @Test
    void anHpaOnCpuOnlyLeavesMemoryToVerticalSizing() {
        Hpa cpuOnly = new Hpa("thanos-receive", 3, 10, OptionalInt.of(70), OptionalInt.empty(), false);
        WorkloadRecommendation r = SIZER.recommend(receivers(5, cpuOnly, flatWeek(0.35), flatWeek(0.8 * GI)), NOW);
        ContainerRecommendation c = r.containers().get(0);
        assertThat(c.cpu().verdict()).isEqualTo(Verdict.HPA_MANAGED);
        assertThat(c.cpu().recommendedRequest()).hasValue(1.0);
        // 0.8Gi × 1.15 = 942.08Mi → 944Mi, from 2Gi: -53.9 %.
        assertThat(c.memory().verdict()).isEqualTo(Verdict.RESIZE);
        assertThat(c.memory().recommendedRequest()).hasValue(944.0 * MI);
        assertThat(c.verdict()).isEqualTo(Verdict.RESIZE); // the flagged resource shows, not the kept one
        assertThat(r.replicas().orElseThrow().memoryUtilization()).isEmpty();
        assertThat(r.replicas().orElseThrow().recommended()).isEqualTo(3);
        // Cost: 3 replicas at the pod price; memory is not priced here, so $73.00 again.
        assertThat(r.cost().saving()).isEqualByComparingTo("73.00");
    }

    @Test
    void anHpaOnOtherMetricsOnlyLeavesRequestsToVerticalSizingAndReplicasAlone() {
        Hpa queueOnly = new Hpa("thanos-receive", 3, 10, OptionalInt.empty(), OptionalInt.empty(), true);
        WorkloadRecommendation r = SIZER.recommend(receivers(5, queueOnly, flatWeek(0.35), flatWeek(0.8 * GI)), NOW);
        assertThat(r.replicas()).isEmpty();
        assertThat(r.containers().get(0).cpu().verdict()).isEqualTo(Verdict.RESIZE);
        assertThat(r.containers().get(0).cpu().recommendedRequest()).hasValue(0.39); // 0.35 × 1.1 = 0.385 → 390m
    }

    @Test
    void utilizationIsThePodsUsageOverThePodsRequestsAsTheHpaComputesIt() {
        // 0.5 + 0.05 cores used of 1 + 0.1 requested = 50 % of the pod: ceil(6 × 50 / 70) = 5.
        Hpa hpa = new Hpa("thanos-receive", 3, 10, OptionalInt.of(70), OptionalInt.empty(), false);
        WorkloadUsage w = new WorkloadUsage(RECEIVERS, 6, List.of(
                new ContainerUsage("thanos-receive", ContainerResources.requests(1, 2 * GI), flatWeek(0.5), flatWeek(GI)),
                new ContainerUsage("sidecar", ContainerResources.requests(0.1, 64 * MI), flatWeek(0.05), flatWeek(30 * MI))),
                Optional.of(hpa));
        ReplicaRecommendation r = SIZER.recommend(w, NOW).replicas().orElseThrow();
        assertThat(r.cpuUtilization().getAsDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(r.recommended()).isEqualTo(5);
    }

    @Test
    void aMissingRequestUnderAnHpaIsFlaggedAndReplicasAreLeftAlone() {
        Hpa hpa = new Hpa("thanos-receive", 3, 10, OptionalInt.of(70), OptionalInt.empty(), false);
        WorkloadUsage w = new WorkloadUsage(RECEIVERS, 5, List.of(new ContainerUsage("thanos-receive",
                ContainerResources.none(), flatWeek(0.35), flatWeek(GI))), Optional.of(hpa));
        WorkloadRecommendation r = SIZER.recommend(w, NOW);
        ContainerRecommendation c = r.containers().get(0);
        assertThat(c.cpu().verdict()).isEqualTo(Verdict.NO_REQUEST_SET);
        assertThat(c.cpu().reason()).isEqualTo("no request set: cpu p95 0.35 cores × 1.1 = 0.385 → 390m; "
                + "HPA thanos-receive needs it to compute cpu utilization");
        ReplicaRecommendation replicas = r.replicas().orElseThrow();
        assertThat(replicas.recommended()).isEqualTo(5);
        assertThat(replicas.flagged()).isFalse();
        assertThat(replicas.reason()).isEqualTo(
                "HPA thanos-receive: cannot compute cpu utilization: container thanos-receive has no cpu request");
    }

    @Test
    void tooLittleDataLeavesReplicasAlone() {
        WorkloadRecommendation r = SIZER.recommend(
                receivers(5, RUNBOOK_HPA, lastPoints(100, i -> 0.35), lastPoints(100, i -> 0.8 * GI)), NOW);
        ReplicaRecommendation replicas = r.replicas().orElseThrow();
        assertThat(replicas.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(replicas.recommended()).isEqualTo(5);
        assertThat(replicas.reason()).isEqualTo("HPA thanos-receive: insufficient-data for cpu of container thanos-receive");
        assertThat(r.cost().saving()).isEqualByComparingTo("0");
    }

    @Test
    void aWorkloadScaledToZeroGetsNoReplicaRecommendation() {
        Hpa hpa = new Hpa("thanos-receive", 0, 10, OptionalInt.of(70), OptionalInt.empty(), false);
        WorkloadRecommendation r = SIZER.recommend(receivers(0, hpa, flatWeek(0.35), flatWeek(GI)), NOW);
        assertThat(r.replicas()).isEmpty();
    }
}
