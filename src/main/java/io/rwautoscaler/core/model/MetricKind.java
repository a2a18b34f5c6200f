package io.rwautoscaler.core.model;

/** Which metrics API serves a rule: custom.metrics.k8s.io (per object) or external.metrics.k8s.io. */
public enum MetricKind {
    CUSTOM, EXTERNAL
}
