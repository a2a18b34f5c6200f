package io.rwautoscaler.kube;

/**
 * Every reason this service writes on a Kubernetes Event, with its type. {@code kubectl get events
 * --field-selector reason=...} finds them; the names are part of the user-facing contract.
 */
public enum EventReason {
    // shard tuner, on the Prometheus/PrometheusAgent resource
    /** A queueConfig patch was applied. */
    SHARD_BOUNDS_CHANGED("ShardBoundsChanged", false),
    /** Recommend or local mode: what would have been applied. */
    SHARD_CHANGE_RECOMMENDED("ShardChangeRecommended", false),
    /** The API refused the patch (conflict, error); retried with backoff. */
    SHARD_PATCH_FAILED("ShardPatchFailed", true),
    /** A change is called for but waits (lag too high, receivers the bottleneck, budget used up). */
    SHARD_CHANGE_REFUSED("ShardChangeRefused", true),
    /** Our change was undone; the tuner stays out of the way. */
    SHARD_CHANGE_REVERTED("ShardChangeReverted", true),
    /** Figures the decision needs are missing. */
    SHARD_DATA_INSUFFICIENT("ShardDataInsufficient", false),
    /** The queue's remote-write endpoint refuses (nearly) every send: no shard change can help. */
    REMOTE_WRITE_ENDPOINT_FAILING("RemoteWriteEndpointFailing", true),

    // receivers: hashring ConfigMap and StatefulSet
    HASHRING_HELD("HashringHeld", true),
    HASHRING_CREATED("HashringCreated", false),
    HASHRING_UPDATED("HashringUpdated", false),
    HASHRING_OVERWRITTEN("HashringOverwritten", true),
    /** The hashring differs, but another controller manages its ConfigMap and take-over is off: not written. */
    HASHRING_TAKE_OVER_REFUSED("HashringTakeOverRefused", true),
    ROLLING_FOR_HASHRING("RollingForHashring", false),

    // receivers: replicas and volumes
    SCALED_OUT_RECEIVERS("ScaledOutReceivers", false),
    SCALED_OUT_RECEIVERS_REFUSED("ScaledOutReceiversRefused", true),
    SCALED_OUT_RECEIVERS_FAILED("ScaledOutReceiversFailed", true),
    SCALED_IN_RECEIVERS("ScaledInReceivers", false),
    SCALED_IN_RECEIVERS_REFUSED("ScaledInReceiversRefused", true),
    SCALED_IN_RECEIVERS_FAILED("ScaledInReceiversFailed", true),
    EXPANDED_VOLUME("ExpandedVolume", false),
    EXPANDED_VOLUME_REFUSED("ExpandedVolumeRefused", true),
    EXPANDED_VOLUME_FAILED("ExpandedVolumeFailed", true),
    VOLUME_EXPANSION_REFUSED("VolumeExpansionRefused", true),

    // right-sizing, on the workload
    RIGHT_SIZING("RightSizing", false);

    private final String wireName;
    private final boolean warning;

    EventReason(String wireName, boolean warning) {
        this.wireName = wireName;
        this.warning = warning;
    }

    public String wireName() {
        return wireName;
    }

    /** The wire name, so that text built from a reason reads as kubectl shows it. */
    @Override
    public String toString() {
        return wireName;
    }

    /** {@code Warning} or {@code Normal}, the Event's type. */
    public String type() {
        return warning ? "Warning" : "Normal";
    }

    /** The refusal ({@code Refused}) or failure ({@code Failed}) that goes with a change reason. */
    public EventReason refused() {
        return valueOf(name() + "_REFUSED");
    }

    public EventReason failed() {
        return valueOf(name() + "_FAILED");
    }
}
