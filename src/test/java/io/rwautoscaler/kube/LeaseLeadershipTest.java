package io.rwautoscaler.kube;

import io.rwautoscaler.testsupport.MockCluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.rwautoscaler.testsupport.MockCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

/** One actor among replicas, through a coordination.k8s.io/v1 Lease on the mock API server. */
class LeaseLeadershipTest {

    static final LeaseLeadership.Timing FAST = new LeaseLeadership.Timing(Duration.ofSeconds(2),
            Duration.ofMillis(1500), Duration.ofMillis(200));

    final MockCluster cluster = new MockCluster();
    final List<LeaseLeadership> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(LeaseLeadership::close);
        cluster.close();
    }

    LeaseLeadership replica(String identity) {
        LeaseLeadership l = new LeaseLeadership(cluster.client, NS, "remote-write-autoscaler", identity, FAST);
        started.add(l);
        return l.start();
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", timeout).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void exactlyOneReplicaLeadsAndAnotherTakesOverWhenItStops() throws Exception {
        LeaseLeadership a = replica("rwa-a");
        await(a::isLeader, Duration.ofSeconds(10));
        LeaseLeadership b = replica("rwa-b");
        Thread.sleep(1000);
        assertThat(b.isLeader()).isFalse();
        assertThat(b.leader()).isEqualTo("rwa-a");
        Lease lease = cluster.client.leases().inNamespace(NS).withName("remote-write-autoscaler").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("rwa-a");

        a.close();
        await(b::isLeader, Duration.ofSeconds(10));
        assertThat(a.isLeader()).isFalse();
    }

    @Test
    void aLeaseHeldByAnotherReplicaKeepsThisOneFromActing() throws Exception {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        cluster.client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata()
                .withName("remote-write-autoscaler").withNamespace(NS).endMetadata().withNewSpec()
                .withHolderIdentity("rwa-other").withLeaseDurationSeconds(3600).withAcquireTime(now)
                .withRenewTime(now).withLeaseTransitions(0).endSpec().build()).create();
        LeaseLeadership a = replica("rwa-a");
        Thread.sleep(1500);
        assertThat(a.isLeader()).isFalse();
        assertThat(a.leader()).isEqualTo("rwa-other");
    }

    @Test
    void timingsThatCannotWorkAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LeaseLeadership.Timing(Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(2))).hasMessageContaining("renew deadline");
    }
}
