package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.rwautoscaler.core.sizing.UsageShapes.AGENT;
import static io.rwautoscaler.core.sizing.UsageShapes.GI;
import static io.rwautoscaler.core.sizing.UsageShapes.MI;
import static io.rwautoscaler.core.sizing.UsageShapes.NOW;
import static io.rwautoscaler.core.sizing.UsageShapes.RECEIVERS;
import static io.rwautoscaler.core.sizing.UsageShapes.agentCpu;
import static io.rwautoscaler.core.sizing.UsageShapes.agentMemory;
import static io.rwautoscaler.core.sizing.UsageShapes.flatWeek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Monthly cost (730 h), savings, and the totals per namespace and cluster. */
class CostTest {

    static final CostModel RESOURCE_PRICES = CostModel.perResourceHour("0.04", "0.005");

    static WorkloadUsage agent(String cluster, String namespace, int replicas, ContainerResources current) {
        return new WorkloadUsage(cluster, new ObjectRef(ResourceKind.STATEFULSETS, namespace, "prometheus-agent"), replicas,
                List.of(new ContainerUsage("prometheus", current, agentCpu(), agentMemory(260 * MI))), Optional.empty());
    }

    static WorkloadUsage runbookReceivers(String cluster) {
        Hpa hpa = new Hpa("thanos-receive", 3, 10, OptionalInt.of(70), OptionalInt.of(75), true);
        return new WorkloadUsage(cluster, RECEIVERS, 5, List.of(new ContainerUsage("thanos-receive",
                ContainerResources.requests(1, 2 * GI), flatWeek(0.35), flatWeek(0.8 * GI))), Optional.of(hpa));
    }

    @ParameterizedTest(name = "{0} pods × ${1}/h × 730 h = ${2}")
    @CsvSource({"2, 0.05, 73.00", "5, 0.05, 182.50", "3, 0.05, 109.50", "1, 0.0137, 10.00", "1, 0.00684, 4.99", "0, 0.05, 0.00"})
    void podHours(int pods, String price, String expected) {
        BigDecimal monthly = CostModel.perPodHour(price).monthly(pods, 0, 0);
        assertThat(MonthlyCost.of(monthly, BigDecimal.ZERO).current()).isEqualTo(new BigDecimal(expected));
    }

    @Test
    void requestHours() {
        // 0.5 core × $0.04 + 0.5 GiB × $0.005 = $0.0225/h × 730 = $16.425 a month per pod.
        assertThat(RESOURCE_PRICES.monthly(1, 0.5, 512 * MI)).isEqualByComparingTo("16.425");
        assertThat(RESOURCE_PRICES.monthly(2, 0.5, 512 * MI)).isEqualByComparingTo("32.85");
        // A sum of requests with binary noise (0.1 + 0.2) costs what 0.3 cores cost.
        assertThat(RESOURCE_PRICES.monthly(1, 0.1 + 0.2, 0)).isEqualByComparingTo(RESOURCE_PRICES.monthly(1, 0.3, 0));
    }

    @Test
    void savingFromRequestChangesIsDeltaTimesPriceTimes730TimesReplicas() {
        // 500m → 200m and 512Mi → 304Mi on 3 replicas:
        // 0.3 cores × $0.04 × 730 × 3 = $26.28, plus 208Mi = 0.203125 GiB × $0.005 × 730 × 3 = $2.22421875,
        // $28.50421875 → $28.50. The costs: 3 × $16.425 = $49.275 → $49.28 and 3 × $6.92359375 = $20.77078125 → $20.77.
        RightSizer sizer = new RightSizer(SizingPolicy.defaults(), RESOURCE_PRICES);
        WorkloadRecommendation r = sizer.recommend(agent("", "monitoring", 3, ContainerResources.requests(0.5, 512 * MI)), NOW);
        assertThat(r.cost()).isEqualTo(new MonthlyCost(new BigDecimal("49.28"), new BigDecimal("20.77"),
                new BigDecimal("28.50")));
    }

    @Test
    void changesWithinTheThresholdSaveNothing() {
        // 220m → 200m is -9 %: not flagged, so not counted.
        RightSizer sizer = new RightSizer(SizingPolicy.defaults(), RESOURCE_PRICES);
        WorkloadRecommendation r = sizer.recommend(agent("", "monitoring", 1, ContainerResources.requests(0.22, 304 * MI)), NOW);
        assertThat(r.flagged()).isFalse();
        assertThat(r.cost().saving()).isEqualByComparingTo("0");
        assertThat(r.cost().current()).isEqualTo(r.cost().proposed());
    }

    @Test
    void settingMissingRequestsCostsMoney() {
        // Nothing reserved now; 200m and 304Mi proposed: (0.2 × 0.04 + 0.296875 × 0.005) × 730 = $6.92 more.
        RightSizer sizer = new RightSizer(SizingPolicy.defaults(), RESOURCE_PRICES);
        WorkloadRecommendation r = sizer.recommend(agent("", "monitoring", 1, ContainerResources.none()), NOW);
        assertThat(r.cost()).isEqualTo(new MonthlyCost(new BigDecimal("0.00"), new BigDecimal("6.92"),
                new BigDecimal("-6.92")));
    }

    @Test
    void podAndResourcePricesAddUp() {
        // Two fewer receivers save their pod price and their requests: 2 × ($0.05 + 1 × $0.04 + 2 × $0.005) × 730 = $146.00.
        CostModel both = new CostModel(new BigDecimal("0.04"), new BigDecimal("0.005"), new BigDecimal("0.05"));
        WorkloadRecommendation r = new RightSizer(SizingPolicy.defaults(), both).recommend(runbookReceivers(""), NOW);
        assertThat(r.cost().saving()).isEqualTo(new BigDecimal("146.00"));
    }

    @Test
    void totalsPerNamespaceAndPerCluster() {
        RightSizer sizer = new RightSizer(SizingPolicy.defaults(), CostModel.perPodHour("0.05"));
        List<WorkloadUsage> workloads = new ArrayList<>();
        workloads.add(runbookReceivers("central"));                                                   // saves 73.00
        workloads.add(agent("cluster-03", "monitoring", 1, ContainerResources.requests(0.5, 512 * MI))); // flagged, 0.00
        workloads.add(agent("cluster-02", "monitoring", 1, ContainerResources.requests(0.2, 304 * MI))); // not flagged
        workloads.add(runbookReceivers("cluster-02"));                                                // saves 73.00
        workloads.add(agent("cluster-02", "agents", 2, ContainerResources.requests(0.2, 304 * MI)));    // not flagged

        RightSizingReport report = sizer.evaluate(workloads, NOW);

        assertThat(report.evaluatedAt()).isEqualTo(NOW);
        assertThat(report.items()).hasSize(5);
        assertThat(report.items()).extracting(WorkloadRecommendation::cluster)
                .containsExactly("central", "cluster-03", "cluster-02", "cluster-02", "cluster-02");
        assertThat(report.flagged()).hasSize(3);
        assertThat(report.namespaceTotals()).extracting(t -> t.cluster() + "/" + t.namespace() + " " + t.workloads()
                        + " " + t.flaggedWorkloads() + " " + t.cost().current() + " " + t.cost().saving())
                .containsExactly(
                        "central/monitoring 1 1 182.50 73.00",
                        "cluster-02/agents 1 0 73.00 0.00",
                        "cluster-02/monitoring 2 1 219.00 73.00",
                        "cluster-03/monitoring 1 1 36.50 0.00");
        assertThat(report.clusterTotals()).extracting(t -> t.cluster() + "/" + t.namespace() + " " + t.workloads()
                        + " " + t.cost().saving())
                .containsExactly("central/ 1 73.00", "cluster-02/ 3 73.00", "cluster-03/ 1 0.00");
        assertThat(report.total()).isEqualTo(new MonthlyCost(new BigDecimal("511.00"), new BigDecimal("365.00"),
                new BigDecimal("146.00")));
    }

    @Test
    void anEmptyScopeGivesAnEmptyReport() {
        RightSizingReport report = new RightSizer(SizingPolicy.defaults(), CostModel.perPodHour("0.05")).evaluate(List.of(), NOW);
        assertThat(report.items()).isEmpty();
        assertThat(report.namespaceTotals()).isEmpty();
        assertThat(report.total()).isEqualTo(MonthlyCost.ZERO);
    }

    @Test
    void evaluatingManyWorkloadsGivesTheSameAsOneByOne() {
        // evaluate shares one scratch buffer across series of different lengths; it must not leak between them.
        RightSizer sizer = new RightSizer(SizingPolicy.defaults(), RESOURCE_PRICES);
        List<WorkloadUsage> workloads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int points = 288 + 97 * i;
            double peak = 0.1 + i * 0.01;
            UsageSeries cpu = UsageShapes.lastPoints(points, p -> p % 50 == 0 ? peak : 0.05);
            workloads.add(new WorkloadUsage("c" + i % 3, new ObjectRef(ResourceKind.DEPLOYMENTS, "ns" + i % 5, "w" + i), 1 + i % 4,
                    List.of(new ContainerUsage("main", ContainerResources.requests(0.5, 512 * MI), cpu, flatWeek(100 * MI))),
                    Optional.empty()));
        }
        RightSizingReport report = sizer.evaluate(workloads, NOW);
        for (int i = 0; i < workloads.size(); i++) {
            assertThat(report.items().get(i)).isEqualTo(sizer.recommend(workloads.get(i), NOW));
        }
        BigDecimal sum = report.items().stream().map(w -> w.cost().saving()).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(report.total().saving()).isEqualTo(sum);
        assertThat(report.namespaceTotals().stream().mapToInt(SavingTotal::workloads).sum()).isEqualTo(40);
    }

    @Test
    void pricesMustNotBeNegative() {
        assertThatThrownBy(() -> CostModel.perPodHour("-0.01")).hasMessageContaining("negative");
    }

    @Test
    void moneyRoundsHalfUpToTheCent() {
        assertThat(MonthlyCost.of(new BigDecimal("0.005"), BigDecimal.ZERO))
                .isEqualTo(new MonthlyCost(new BigDecimal("0.01"), new BigDecimal("0.00"), new BigDecimal("0.01")));
    }
}
