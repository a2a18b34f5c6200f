package io.rwautoscaler.kube;

import io.rwautoscaler.reconcile.Leadership;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * Mock-server tests' leader election: leader unless a test says otherwise. Enabled by {@link KubeMockProfile}
 * only; at merge the shard tuner's Lease elector provides {@link Leadership} in cluster mode.
 */
@Alternative
@Singleton
public class SwitchableLeadership implements Leadership {

    private volatile boolean leader = true;

    public void set(boolean leader) {
        this.leader = leader;
    }

    @Override
    public boolean isLeader() {
        return leader;
    }
}
