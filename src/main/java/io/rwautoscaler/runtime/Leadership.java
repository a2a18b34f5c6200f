package io.rwautoscaler.runtime;

/**
 * Whether this replica may act (patch, write events). Replicas that are not leader still observe, decide and
 * report, so any replica answers the API with current figures.
 */
public interface Leadership {

    boolean isLeader();

    /** This replica's identity. */
    String identity();

    /** Who holds the lease, as far as this replica knows; empty when unknown. */
    String leader();

    /** One line for reports: who acts. */
    default String describe() {
        return isLeader() ? "this replica (" + identity() + ") is the leader" : "not the leader: " + leader() + " acts";
    }

    /** Always the leader: local mode, or leader election turned off (a single replica). */
    static Leadership always(String identity) {
        return new Leadership() {
            public boolean isLeader() {
                return true;
            }

            public String identity() {
                return identity;
            }

            public String leader() {
                return identity;
            }
        };
    }
}
