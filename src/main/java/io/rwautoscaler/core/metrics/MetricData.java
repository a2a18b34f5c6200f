package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.Sample;

import java.time.Instant;
import java.util.List;

/** A rule's last good answer: the finite series Prometheus returned, and when we fetched them. */
public record MetricData(MetricRule rule, List<Sample> samples, Instant fetchedAt) {
    public MetricData {
        samples = List.copyOf(samples);
    }
}
