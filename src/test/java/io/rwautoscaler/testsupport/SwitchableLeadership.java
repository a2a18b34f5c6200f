package io.rwautoscaler.testsupport;

import io.rwautoscaler.runtime.Leadership;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * Mock-server tests' leader election: leader unless a test says otherwise. Enabled by {@link KubeMockProfile}
 * only; in production the Lease elector provides {@link Leadership}.
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

    @Override
    public String identity() {
        return "test-replica";
    }

    @Override
    public String leader() {
        return leader ? identity() : "another-replica";
    }
}
