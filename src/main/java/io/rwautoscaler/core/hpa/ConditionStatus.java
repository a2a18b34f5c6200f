package io.rwautoscaler.core.hpa;

/** {@code v1.ConditionStatus}. */
public enum ConditionStatus {
    TRUE, FALSE, UNKNOWN
}
