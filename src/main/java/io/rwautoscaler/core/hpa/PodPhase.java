package io.rwautoscaler.core.hpa;

/** {@code v1.PodPhase}. */
public enum PodPhase {
    PENDING, RUNNING, SUCCEEDED, FAILED, UNKNOWN
}
