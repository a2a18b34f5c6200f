package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.model.ObjectRef;

import java.time.Instant;
import java.time.Duration;

/** One object's value for one metric, with the time its data was sampled and the window of a rate. */
public record ObjectValue(ObjectRef object, double value, Instant timestamp, Duration window) {
}
