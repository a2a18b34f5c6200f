package io.rwautoscaler.core.receivers;

/**
 * What an action turns. Two actions on one lever in opposite directions contradict each other;
 * receiver replicas and receiver memory are never turned in the same decision.
 */
public enum ScalingLever {
    AGENT_SHARDS, RECEIVER_REPLICAS, RECEIVER_MEMORY, RECEIVER_STORAGE;

    /** Horizontal and vertical receiver changes both roll the pods, so only one of them goes at a time. */
    public boolean rollsReceivers() {
        return this == RECEIVER_REPLICAS || this == RECEIVER_MEMORY;
    }
}
