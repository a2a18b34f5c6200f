package io.rwautoscaler.core.receivers;

/** A rule's verdict in one cycle. UNKNOWN (no data) is never read as "fine". */
public enum RuleState {
    FIRING, NOT_FIRING, UNKNOWN
}
