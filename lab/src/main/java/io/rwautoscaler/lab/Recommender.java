package io.rwautoscaler.lab;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicyBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the {@code recommended} strategy of a scenario: a small search over the HPA's {@code behavior} and its
 * queue-metric target, every candidate run through the same simulation, ranked by the goal:
 * fewest samples lost, then the fewest goal misses (not absorbed within 10 minutes, more than 2 replica changes in
 * a direction, utilization after outside 70–80 %), then the shortest absorption, fewest changes and fewest pod
 * hours. Candidates keep the scenario's metrics, min/max and scale-down policies; what varies:
 * <ul>
 *   <li>scale-up: Percent 100 per 60 s, stabilization 0 s or 60 s</li>
 *   <li>scale-down stabilization: 600 s or 1800 s</li>
 *   <li>the queue metric's averageValue: as written or × 30 (the queue is a backlog, not a rate: a target sized for
 *       the steady state asks for the maximum during any backlog); or the samples/s rule
 *       ({@link Simulation#SAMPLES_IN_METRIC}) at 80 % of a receiver's capacity with the queue at × 100</li>
 *   <li>the receive StatefulSet's podManagementPolicy: as the scenario has it, or Parallel</li>
 * </ul>
 */
public final class Recommender {

    public static final double GOAL_ABSORBED_SECONDS = 600;
    public static final int GOAL_CHANGES_PER_DIRECTION = 2;

    private Recommender() {
    }

    /** A candidate and how it did. */
    public record Candidate(String label, HorizontalPodAutoscalerSpec hpa, Optional<java.time.Duration> samplesInRule,
                            boolean parallelPods, Simulation.Run run, Outcome outcome) {
    }

    /** A candidate before it runs: the HPA spec and, when it uses it, the samples/s rule's rate window. */
    /**
     * A candidate before it runs: the HPA spec; the samples/s rule's rate window when the HPA uses it (zero: irate
     * over the last two scrapes); whether the receive StatefulSet starts its pods in parallel.
     */
    public record Setting(HorizontalPodAutoscalerSpec hpa, Optional<Duration> samplesInRule, boolean parallelPods) {
    }

    /**
     * The candidates, as a short explicit list rather than a full grid (each is a whole simulation):
     * <ol>
     *   <li>the scenario's metrics, scale-up Percent 100 per 60 s without stabilization, scale-down stabilization
     *       1800 s, the queue target as written or × 30, pods started as the scenario has it or in parallel;</li>
     *   <li>the samples/s rule ({@link Simulation#SAMPLES_IN_METRIC}, irate: the last two scrapes) at 80 % of a
     *       receiver's capacity, so desired = ceil(samples/s ÷ (capacity × 0.8)), the receiver policy's own sizing,
     *       with the queue kept as a backstop at × 100; the resource metrics as written or memory only (CPU cannot
     *       show demand beyond a receiver's capacity, and it does show every backlog drain); scale-down
     *       stabilization 600 s or 1800 s; pods as the scenario has it or in parallel;</li>
     *   <li>the same with a 1m rate instead of irate, memory only, 1800 s.</li>
     * </ol>
     */
    public static List<Setting> settings(Scenario scenario) {
        List<Setting> out = new ArrayList<>();
        boolean queue = HpaSpecs.hasQueueMetric(scenario.hpa());
        long perReceiver = Math.round(scenario.receivers().samplesPerSecondPerReplica() * 0.8);
        for (boolean parallel : new boolean[] {false, true}) {
            for (double factor : queue ? new double[] {1, 30} : new double[] {1}) {
                out.add(new Setting(candidate(scenario.hpa(), 0, "Percent", 100, 1800, factor, false),
                        Optional.empty(), parallel));
            }
            for (boolean memoryOnly : new boolean[] {false, true}) {
                for (int down : new int[] {600, 1800}) {
                    out.add(new Setting(withSamplesIn(candidate(scenario.hpa(), 0, "Percent", 100, down,
                            queue ? 100 : 1, memoryOnly), perReceiver), Optional.of(Duration.ZERO), parallel));
                }
            }
            out.add(new Setting(withSamplesIn(candidate(scenario.hpa(), 0, "Percent", 100, 1800, queue ? 100 : 1,
                    true), perReceiver), Optional.of(Duration.ofMinutes(1)), parallel));
        }
        return out;
    }

    private static HorizontalPodAutoscalerSpec withSamplesIn(HorizontalPodAutoscalerSpec spec, long perReceiver) {
        List<MetricSpec> metrics = new ArrayList<>(spec.getMetrics());
        metrics.add(new MetricSpecBuilder().withType("Pods").withNewPods().withNewMetric()
                .withName(Simulation.SAMPLES_IN_METRIC).endMetric().withNewTarget().withType("AverageValue")
                .withAverageValue(new Quantity(Long.toString(perReceiver))).endTarget().endPods().build());
        return new HorizontalPodAutoscalerSpecBuilder(spec).withMetrics(metrics).build();
    }

    public static List<HorizontalPodAutoscalerSpec> candidates(HorizontalPodAutoscalerSpec base) {
        List<HorizontalPodAutoscalerSpec> out = new ArrayList<>();
        int[][] upRules = {{0, 0, 2}, {0, 1, 100}, {60, 1, 100}}; // {stabilization, percent?, value}
        int[] downWindows = {600, 1800};
        double[] targetFactors = HpaSpecs.hasQueueMetric(base) ? new double[] {1, 10, 30} : new double[] {1};
        for (double factor : targetFactors) {
            for (int[] up : upRules) {
                for (int down : downWindows) {
                    out.add(candidate(base, up[0], up[1] == 1 ? "Percent" : "Pods", up[2], down, factor, false));
                }
            }
        }
        return out;
    }

    static HorizontalPodAutoscalerSpec candidate(HorizontalPodAutoscalerSpec base, int upWindow, String upType,
                                                 int upValue, int downWindow, double targetFactor, boolean memoryOnly) {
        HorizontalPodAutoscalerBehavior old = base.getBehavior();
        HorizontalPodAutoscalerBehavior behavior = new HorizontalPodAutoscalerBehaviorBuilder()
                .withScaleUp(new HPAScalingRulesBuilder().withStabilizationWindowSeconds(upWindow)
                        .withSelectPolicy("Max")
                        .withPolicies(new HPAScalingPolicyBuilder().withType(upType).withValue(upValue)
                                .withPeriodSeconds(60).build()).build())
                .withScaleDown(new HPAScalingRulesBuilder(old != null && old.getScaleDown() != null ? old.getScaleDown()
                        : new HPAScalingRulesBuilder().withPolicies(new HPAScalingPolicyBuilder().withType("Pods")
                        .withValue(1).withPeriodSeconds(300).build()).build())
                        .withStabilizationWindowSeconds(downWindow).build())
                .build();
        List<MetricSpec> metrics = new ArrayList<>();
        for (MetricSpec m : base.getMetrics() == null ? List.<MetricSpec>of() : base.getMetrics()) {
            if (memoryOnly && "Resource".equals(m.getType()) && !"memory".equals(m.getResource().getName())) {
                continue;
            }
            if ("Pods".equals(m.getType()) && m.getPods().getTarget().getAverageValue() != null && targetFactor != 1) {
                double v = Quantity.getAmountInBytes(m.getPods().getTarget().getAverageValue()).doubleValue() * targetFactor;
                MetricSpec copy = new MetricSpecBuilder(m).editPods().editTarget()
                        .withAverageValue(new Quantity(Long.toString(Math.round(v)))).endTarget().endPods().build();
                metrics.add(copy);
            } else {
                metrics.add(m);
            }
        }
        return new HorizontalPodAutoscalerSpecBuilder(base).withMetrics(metrics).withBehavior(behavior).build();
    }

    /** Runs every candidate (in parallel; each run is independent and deterministic) and returns the best. */
    public static Candidate recommend(Scenario scenario) {
        List<Setting> specs = settings(scenario);
        List<Candidate> done = specs.parallelStream().map(c -> {
            Simulation.Settings settings = new Simulation.Settings(Strategy.RECOMMENDED, Optional.of(c.hpa()), false,
                    false, scenario.receivers().rollOnChange(), c.samplesInRule(), c.parallelPods());
            Simulation.Run run = LabRunner.run(scenario, settings);
            return new Candidate(describe(c.hpa()) + c.samplesInRule().map(w -> ", samples/s rule "
                    + (w.isZero() ? "irate" : "rate over " + w.toSeconds() + "s")).orElse("") + (c.parallelPods() ? ", podManagementPolicy Parallel" : ""),
                    c.hpa(), c.samplesInRule(), c.parallelPods(), run, Outcome.of(run));
        }).toList();
        return done.stream().min(RANKING).orElseThrow();
    }

    static final Comparator<Candidate> RANKING = Comparator
            .comparingDouble((Candidate c) -> Math.round(c.outcome().samplesLost()))
            .thenComparingInt(c -> goalMisses(c.outcome()).size())
            .thenComparingDouble(c -> c.outcome().absorbedSeconds() == null ? Double.MAX_VALUE : c.outcome().absorbedSeconds())
            .thenComparingInt(c -> c.outcome().replicaChanges())
            .thenComparingDouble(c -> c.outcome().receiverPodHours())
            .thenComparing(Candidate::label);

    /** The goal, as checks that name what was missed. */
    public static List<String> goalMisses(Outcome o) {
        List<String> misses = new ArrayList<>();
        if (o.samplesLost() > 0.5) {
            misses.add("samples lost");
        }
        if (o.absorbedSeconds() == null) {
            misses.add("never absorbed");
        } else if (o.absorbedSeconds() > GOAL_ABSORBED_SECONDS) {
            misses.add("absorbed after more than 10 minutes");
        }
        if (o.replicaChangesUp() > GOAL_CHANGES_PER_DIRECTION || o.replicaChangesDown() > GOAL_CHANGES_PER_DIRECTION) {
            misses.add("more than 2 replica changes in a direction");
        }
        if (o.utilizationAfter() < 0.70 - 1e-9 || o.utilizationAfter() > 0.80 + 1e-9) {
            misses.add("utilization after outside 70–80 %");
        }
        return misses;
    }

    static String describe(HorizontalPodAutoscalerSpec s) {
        var up = s.getBehavior().getScaleUp();
        var down = s.getBehavior().getScaleDown();
        String resources = String.join("+", s.getMetrics().stream().filter(m -> "Resource".equals(m.getType()))
                .map(m -> m.getResource().getName()).toList());
        String target = s.getMetrics().stream().filter(m -> "Pods".equals(m.getType()))
                .map(m -> m.getPods().getTarget().getAverageValue().toString()).findFirst().orElse("none");
        return "scaleUp " + up.getStabilizationWindowSeconds() + "s " + up.getPolicies().get(0).getType() + " "
                + up.getPolicies().get(0).getValue() + "/" + up.getPolicies().get(0).getPeriodSeconds() + "s, scaleDown "
                + down.getStabilizationWindowSeconds() + "s, resources " + (resources.isEmpty() ? "none" : resources)
                + ", queue target " + target;
    }
}
