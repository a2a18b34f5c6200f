package io.rwautoscaler.core.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** One series of an external metric: its labels, value, sample time and window. */
public record ExternalValue(Map<String, String> labels, double value, Instant timestamp, Duration window) {
}
