package io.rwautoscaler.core.sizing;

/**
 * What right-sizing concluded for one resource, a container or a workload's replicas. Declared from the least to the
 * most telling, flagged ones last, so a container shows the verdict that needs attention.
 */
public enum Verdict {
    /** The recommendation is within the change threshold of what is set: not worth a change. */
    KEEP("keep", false),
    /** An HPA scales the workload on this resource's utilization, so its request is left alone. */
    HPA_MANAGED("hpa-managed", false),
    /** Less data than the policy's minimum: no recommendation. */
    INSUFFICIENT_DATA("insufficient-data", false),
    /** The recommendation differs from what is set by more than the change threshold. */
    RESIZE("resize", true),
    /** Nothing is set: usage is reported and a value suggested, always worth a look. */
    NO_REQUEST_SET("no-request-set", true);

    private final String label;
    private final boolean flagged;

    Verdict(String label, boolean flagged) {
        this.label = label;
        this.flagged = flagged;
    }

    /** The label the report and the API show. */
    public String label() {
        return label;
    }

    /** Whether the report flags it for an operator. */
    public boolean flagged() {
        return flagged;
    }
}
