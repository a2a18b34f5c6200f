package io.rwautoscaler.kube;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.kube.KubeEvents.Involved;
import io.rwautoscaler.kube.KubeEvents.Notice;
import io.rwautoscaler.testsupport.MockCluster;
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

    static final Instant T0 = KubeEventsTest.T0;
    static final Involved AGENT = KubeEventsTest.AGENT;
    static final String QUEUE = KubeEventsTest.QUEUE;

    final MockCluster cluster = new MockCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    List<Event> written() {
        return cluster.client.v1().events().inNamespace(NS).list().getItems();
    }

    KubeEvents named(Optional<Duration> repeatAfter) {
        return new KubeEvents(Optional.of(cluster.client), "rwa-0", Optional.of("cluster-03"), repeatAfter);
    }

    @Test
    void shardEventsNameTheCluster() {
        named(Optional.empty()).post(AGENT, QUEUE, "k",
                Optional.of(new Notice(EventReason.SHARD_BOUNDS_CHANGED, "maxShards 50 → 100")), T0);
        assertThat(written()).singleElement()
                .satisfies(e -> assertThat(e.getMetadata().getLabels()).containsEntry(EventLabels.CLUSTER, "cluster-03"));
    }

    @Test
    void receiverEventsNameTheCluster() {
        var hashring = cluster.client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata()
                .withName("thanos-receive-hashring").withNamespace(NS).endMetadata().build()).create();
        named(Optional.of(Duration.ofMinutes(10))).post(Involved.of(hashring), EventReason.HASHRING_UPDATED,
                "5 endpoints", T0);
        assertThat(written()).singleElement()
                .satisfies(e -> assertThat(e.getMetadata().getLabels()).containsEntry(EventLabels.CLUSTER, "cluster-03"));
    }

    @Test
    void rightSizingEventsNameTheCluster() {
        named(Optional.of(Duration.ZERO)).post(Involved.of(ResourceKind.STATEFULSETS.apiVersion(), "StatefulSet", NS,
                "thanos-receive", null), EventReason.RIGHT_SIZING, "cpu 2 → 1.5", T0);
        assertThat(written()).singleElement()
                .satisfies(e -> assertThat(e.getMetadata().getLabels()).containsEntry(EventLabels.CLUSTER, "cluster-03"));
    }

    @Test
    void unnamedClustersWriteNoLabel() {
        new KubeEvents(Optional.of(cluster.client), "rwa-0", Optional.empty(), Optional.empty())
                .post(AGENT, QUEUE, "k", Optional.of(new Notice(EventReason.SHARD_BOUNDS_CHANGED, "x")), T0);
        assertThat(written()).singleElement().satisfies(e -> assertThat(e.getMetadata().getLabels()).isNullOrEmpty());
    }
}
