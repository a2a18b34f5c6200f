package io.rwautoscaler.core.receivers;

/** The receiver replica range; the runbook's (and its HPA's) is 3–10. */
public record ReplicaBounds(int min, int max) {

    public static final ReplicaBounds RUNBOOK = new ReplicaBounds(3, 10);

    public ReplicaBounds {
        if (min < 1) {
            throw new IllegalArgumentException("minimum replicas must be at least 1, got " + min);
        }
        if (max < min) {
            throw new IllegalArgumentException("maximum replicas " + max + " is below the minimum " + min);
        }
    }

    public int clamp(int replicas) {
        return Math.max(min, Math.min(max, replicas));
    }
}
