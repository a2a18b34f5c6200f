package io.rwautoscaler.kube;

import io.rwautoscaler.receivers.ReceiverEvents;
import io.rwautoscaler.runtime.Leadership;
import io.rwautoscaler.shards.ShardEvents;
import io.rwautoscaler.shards.ShardEventsTest;
import io.rwautoscaler.sizing.KubeWorkloadEvents;
import io.rwautoscaler.testsupport.MockCluster;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.rwautoscaler.testsupport.MockCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

/** Many clusters: Events carry the cluster's name (autoscaler.cluster) as a label; unnamed, no label at all. */
class ClusterEventLabelsTest {

    static final Instant T0 = ShardEventsTest.T0;
    static final Agent AGENT = ShardEventsTest.AGENT;
    static final QueueId QUEUE = ShardEventsTest.QUEUE;

    final MockCluster cluster = new MockCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    List<Event> written() {
        return cluster.client.v1().events().inNamespace(NS).list().getItems();
    }

    @Test
    void shardEventsNameTheCluster() {
        new ShardEvents(Optional.of(cluster.client), "rwa-0", Optional.of("cluster-03"))
                .report(AGENT, QUEUE, "k", Optional.of(ShardEvents.Spec.normal("ShardBoundsChanged", "maxShards 50 → 100")), T0);
        assertThat(written()).singleElement()
                .satisfies(e -> assertThat(e.getMetadata().getLabels()).containsEntry(EventLabels.CLUSTER, "cluster-03"));
    }

    @Test
    void receiverEventsNameTheCluster() {
        var hashring = cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("thanos-receive-hashring").withNamespace(NS).endMetadata().build()).create();
        new ReceiverEvents(cluster.client, Duration.ofMinutes(10), Optional.of("cluster-03"))
                .post(hashring, ReceiverEvents.Type.NORMAL, "HashringUpdated", "5 endpoints", T0);
        assertThat(written()).singleElement()
                .satisfies(e -> assertThat(e.getMetadata().getLabels()).containsEntry(EventLabels.CLUSTER, "cluster-03"));
    }

    @Test
    void rightSizingEventsNameTheCluster() {
        new KubeWorkloadEvents(cluster.client, Leadership.always("rwa-0"), Optional.of("cluster-03")).record(
                new ObjectRef(ResourceKind.STATEFULSETS, NS, "thanos-receive"), "RightSizingRecommended", "cpu 2 → 1.5", T0);
        assertThat(written()).singleElement()
                .satisfies(e -> assertThat(e.getMetadata().getLabels()).containsEntry(EventLabels.CLUSTER, "cluster-03"));
    }

    @Test
    void unnamedClustersWriteNoLabel() {
        new ShardEvents(Optional.of(cluster.client), "rwa-0")
                .report(AGENT, QUEUE, "k", Optional.of(ShardEvents.Spec.normal("ShardBoundsChanged", "x")), T0);
        assertThat(written()).singleElement().satisfies(e -> assertThat(e.getMetadata().getLabels()).isNullOrEmpty());
    }
}
