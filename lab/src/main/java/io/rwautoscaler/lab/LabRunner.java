package io.rwautoscaler.lab;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;

import java.util.Optional;

/** Runs one scenario under one strategy. */
public final class LabRunner {

    private LabRunner() {
    }

    public static Simulation.Settings settings(Scenario s, Strategy strategy) {
        HorizontalPodAutoscalerSpec hpa = s.hpa();
        boolean roll = s.receivers().rollOnChange();
        return switch (strategy) {
            case MANUAL_RUNBOOK -> new Simulation.Settings(strategy, Optional.empty(), false, true, roll);
            case HPA_CPU_MEMORY -> new Simulation.Settings(strategy, Optional.of(HpaSpecs.resourceMetricsOnly(hpa)),
                    false, false, roll);
            case HPA_QUEUE -> new Simulation.Settings(strategy, Optional.of(hpa), false, false, roll);
            case HPA_QUEUE_SHARD_TUNER -> new Simulation.Settings(strategy, Optional.of(hpa), true, false, roll);
            case RECOMMENDED -> throw new IllegalArgumentException("the recommended strategy comes from Recommender");
        };
    }

    public static Simulation.Run run(Scenario s, Simulation.Settings settings) {
        return new Simulation(s, settings, CoreHpa::new).run();
    }
}
