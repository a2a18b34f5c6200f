package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.QueueFigure;

import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ReceiverHealth;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** An agent with several pods: the worst pod decides, and a lagging rollout shows. */
class ObservedQueuesTest {

    static final QueueSeries POD0 = new QueueSeries("monitoring", "prom-agent-a-0", "thanos", "http://t");
    static final QueueSeries POD1 = new QueueSeries("monitoring", "prom-agent-a-1", "thanos", "http://t");

    static ObservedQueues observed(Map<QueueFigure, Double> pod0, Map<QueueFigure, Double> pod1) {
        TreeMap<QueueSeries, Map<QueueFigure, Double>> figures = new TreeMap<>();
        figures.put(POD0, pod0);
        figures.put(POD1, pod1);
        return new ObservedQueues(Instant.EPOCH, figures, ReceiverHealth.unknown(), Map.of(), 0);
    }

    @Test
    void theWorstPodCountsAndIdleMeansEveryPodIdle() {
        ObservedQueues o = observed(
                Map.of(QueueFigure.PENDING_SAMPLES, 100.0, QueueFigure.LAG_SECONDS, 3.0,
                        QueueFigure.QUEUE_ABOVE_THRESHOLD_FOR_SECONDS, 0.0, QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS, 3600.0),
                Map.of(QueueFigure.PENDING_SAMPLES, 9000.0, QueueFigure.LAG_SECONDS, 40.0,
                        QueueFigure.QUEUE_ABOVE_THRESHOLD_FOR_SECONDS, 1200.0, QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS, 0.0));
        QueueObservation q = o.observation(List.of(POD0, POD1), QueueConfig.unset());
        assertThat(q.pendingSamples()).hasValue(9000);
        assertThat(q.lagSeconds()).hasValue(40);
        assertThat(q.queueAboveThresholdFor()).contains(Duration.ofMinutes(20));
        assertThat(q.queueAtZeroFor()).contains(Duration.ZERO);
    }

    @Test
    void idleTimeIsUnknownWhenAnyPodLacksIt() {
        ObservedQueues o = observed(Map.of(QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS, 3600.0), Map.of());
        assertThat(o.observation(List.of(POD0, POD1), QueueConfig.unset()).queueAtZeroFor()).isEmpty();
    }

    @Test
    void aPodStillOnOldBoundsIsWhatTheRunningBoundsShow() {
        ObservedQueues o = observed(Map.of(QueueFigure.SHARDS_MAX, 200.0, QueueFigure.SHARDS_MIN, 10.0),
                Map.of(QueueFigure.SHARDS_MAX, 100.0, QueueFigure.SHARDS_MIN, 10.0));
        QueueObservation q = o.observation(List.of(POD0, POD1), QueueConfig.of(10, 200, 20000, 2000));
        assertThat(q.runningMaxShards()).hasValue(100);
        assertThat(q.runningMinShards()).hasValue(10);
    }
}
