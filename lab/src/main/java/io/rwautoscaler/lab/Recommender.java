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
 *   <li>scale-up: stabilization 0 s with {Pods 2 per 60 s}, or {Percent 100 per 60 s}, or 60 s with
 *       {Percent 100 per 60 s}</li>
 *   <li>scale-down stabilization: 600 s or 1800 s</li>
 *   <li>the queue metric's averageValue: as written, × 10, × 30 (the queue is a backlog, not a rate: a target
 *       sized for the steady state asks for the maximum during any backlog)</li>
 * </ul>
 */
public final class Recommender {

    public static final double GOAL_ABSORBED_SECONDS = 600;
    public static final int GOAL_CHANGES_PER_DIRECTION = 2;

    private Recommender() {
    }

    /** A candidate and how it did. */
    public record Candidate(String label, HorizontalPodAutoscalerSpec hpa, Optional<java.time.Duration> samplesInRule,
                            Simulation.Run run, Outcome outcome) {
    }

    /** A candidate before it runs: the HPA spec and, when it uses it, the samples/s rule's rate window. */
    public record Setting(HorizontalPodAutoscalerSpec hpa, Optional<java.time.Duration> samplesInRule) {
    }

    public static List<Setting> settings(Scenario scenario) {
        List<Setting> out = new ArrayList<>();
        for (HorizontalPodAutoscalerSpec spec : candidates(scenario.hpa())) {
            out.add(new Setting(spec, Optional.empty()));
        }
        // The same HPA plus the samples/s the agents append, per receiver, targeted at 80 % of a receiver's capacity:
        // desired = ceil(samples/s ÷ (capacity × 0.8)), the receiver policy's own sizing, and the queue kept as a
        // backstop at × 30.
        long perReceiver = Math.round(scenario.receivers().samplesPerSecondPerReplica() * 0.8);
        for (int window : new int[] {60, 120}) {
            for (int upWindow : new int[] {0, 60}) {
                for (int down : new int[] {600, 1800}) {
                    HorizontalPodAutoscalerSpec spec = candidate(scenario.hpa(), upWindow, "Percent", 100, down,
                            HpaSpecs.hasQueueMetric(scenario.hpa()) ? 30 : 1);
                    List<MetricSpec> metrics = new ArrayList<>(spec.getMetrics());
                    metrics.add(new MetricSpecBuilder().withType("Pods").withNewPods().withNewMetric()
                            .withName(Simulation.SAMPLES_IN_METRIC).endMetric().withNewTarget().withType("AverageValue")
                            .withAverageValue(new Quantity(Long.toString(perReceiver))).endTarget().endPods().build());
                    out.add(new Setting(new HorizontalPodAutoscalerSpecBuilder(spec).withMetrics(metrics).build(),
                            Optional.of(java.time.Duration.ofSeconds(window))));
                }
            }
        }
        return out;
    }

    public static List<HorizontalPodAutoscalerSpec> candidates(HorizontalPodAutoscalerSpec base) {
        List<HorizontalPodAutoscalerSpec> out = new ArrayList<>();
        int[][] upRules = {{0, 0, 2}, {0, 1, 100}, {60, 1, 100}}; // {stabilization, percent?, value}
        int[] downWindows = {600, 1800};
        double[] targetFactors = HpaSpecs.hasQueueMetric(base) ? new double[] {1, 10, 30} : new double[] {1};
        for (double factor : targetFactors) {
            for (int[] up : upRules) {
                for (int down : downWindows) {
                    out.add(candidate(base, up[0], up[1] == 1 ? "Percent" : "Pods", up[2], down, factor));
                }
            }
        }
        return out;
    }

    static HorizontalPodAutoscalerSpec candidate(HorizontalPodAutoscalerSpec base, int upWindow, String upType,
                                                 int upValue, int downWindow, double targetFactor) {
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
                    false, scenario.receivers().rollOnChange(), c.samplesInRule());
            Simulation.Run run = LabRunner.run(scenario, settings);
            return new Candidate(describe(c.hpa()) + c.samplesInRule().map(w -> ", samples/s rule over "
                    + w.toSeconds() + "s").orElse(""), c.hpa(), c.samplesInRule(), run, Outcome.of(run));
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
        String target = s.getMetrics().stream().filter(m -> "Pods".equals(m.getType()))
                .map(m -> m.getPods().getTarget().getAverageValue().toString()).findFirst().orElse("none");
        return "scaleUp " + up.getStabilizationWindowSeconds() + "s " + up.getPolicies().get(0).getType() + " "
                + up.getPolicies().get(0).getValue() + "/" + up.getPolicies().get(0).getPeriodSeconds() + "s, scaleDown "
                + down.getStabilizationWindowSeconds() + "s, queue target " + target;
    }
}
