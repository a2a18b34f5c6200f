package io.rwautoscaler.core.replay;

/** What apply mode would have done with one replayed decision. */
public enum ReplayOutcome {
    /** Apply mode would have made the change; the replay's virtual fleet or config follows it. */
    APPLIED("applied", true),
    /** The same target changed less than the cooldown before: apply mode would have waited. */
    COOLDOWN("cooldown", false),
    /** Apply mode only reports this kind of action (memory, agent shards from the policy, an HPA's replicas). */
    REPORT_ONLY("report-only", false),
    /** Shard tuner: the queue's lag was too high or unknown to restart it without loss. */
    WAITING_FOR_DRAIN("waiting-for-drain", false),
    /** Shard tuner: the cluster's changes per hour were used up. */
    BUDGET_EXHAUSTED("budget-exhausted", false),
    /** Shard tuner: the receivers were the bottleneck; more shards would have added load. */
    RECEIVERS_BOTTLENECK("receivers-bottleneck", false),
    /** A figure the decision needs was missing. */
    INSUFFICIENT_DATA("insufficient-data", false);

    private final String wireName;
    private final boolean acts;

    ReplayOutcome(String wireName, boolean acts) {
        this.wireName = wireName;
        this.acts = acts;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether apply mode would have changed something. */
    public boolean acts() {
        return acts;
    }
}
