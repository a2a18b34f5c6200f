package io.rwautoscaler.reconcile;

/**
 * Whether this replica may act (patch, write the hashring, post Events). Every replica observes, decides and
 * reports; only the leader changes anything, so two replicas never fight over one object.
 */
public interface Leadership {

    boolean isLeader();

    /** One line for the report: who acts. */
    default String describe() {
        return isLeader() ? "this replica is the leader" : "not the leader: another replica acts";
    }
}
