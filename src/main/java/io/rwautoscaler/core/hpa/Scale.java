package io.rwautoscaler.core.hpa;

/**
 * The target's scale subresource at the sync: {@code spec.replicas} (what the controller compares and changes)
 * and {@code status.replicas} (the pods that exist, which the AverageValue targets of Object and External
 * metrics divide by).
 */
public record Scale(int specReplicas, int statusReplicas) {

    public Scale {
        if (specReplicas < 0 || statusReplicas < 0) {
            throw new IllegalArgumentException("replicas cannot be negative: spec " + specReplicas + ", status "
                    + statusReplicas);
        }
    }

    /** A settled target: as many pods as wanted. */
    public static Scale of(int replicas) {
        return new Scale(replicas, replicas);
    }
}
