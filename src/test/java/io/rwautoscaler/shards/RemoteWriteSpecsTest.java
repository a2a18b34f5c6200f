package io.rwautoscaler.shards;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueConfig;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading spec.remoteWrite of resources as users really write them, including what we must not trip over. */
class RemoteWriteSpecsTest {

    static Agent read(String yaml) {
        return RemoteWriteSpecs.read(Agent.PROMETHEUS_AGENT, Serialization.unmarshal(
                "apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: agent\n"
                        + "  namespace: monitoring\n  uid: u-1\n" + yaml, GenericKubernetesResource.class));
    }

    @Test
    void readsEntriesWithTheirQueueConfigAndIgnoresUnknownFields() {
        Agent a = read("""
                spec:
                  replicas: 2
                  someFutureField: {x: 1}
                  remoteWrite:
                  - name: thanos
                    url: http://thanos-receive-lb:19291/api/v1/receive
                    writeRelabelConfigs: [{action: drop, regex: go_.*, sourceLabels: [__name__]}]
                    queueConfig: {minShards: 10, maxShards: 100, capacity: 20000, batchSendDeadline: 5s, retryOnRateLimit: true}
                  - url: http://backup/api/v1/write
                """);
        assertThat(a.problems()).isEmpty();
        assertThat(a.uid()).isEqualTo("u-1");
        assertThat(a.entries()).hasSize(2);
        assertThat(a.entries().get(0).name()).contains("thanos");
        assertThat(a.entries().get(0).config()).isEqualTo(new QueueConfig(OptionalInt.of(10), OptionalInt.of(100),
                OptionalInt.of(20000), OptionalInt.empty()));
        assertThat(a.entries().get(1).index()).isEqualTo(1);
        assertThat(a.entries().get(1).name()).isEmpty();
        assertThat(a.entries().get(1).config()).isEqualTo(QueueConfig.unset());
    }

    @Test
    void resourceWithoutRemoteWriteHasNothingToTuneAndSaysSo() {
        assertThat(read("spec: {replicas: 1}\n").problems()).containsExactly("spec.remoteWrite is missing: nothing to tune");
        assertThat(read("").problems()).containsExactly("spec.remoteWrite is missing: nothing to tune");
        assertThat(read("spec: {remoteWrite: []}\n").problems()).containsExactly("spec.remoteWrite is empty: nothing to tune");
        assertThat(read("spec: {remoteWrite: {url: x}}\n").problems()).containsExactly("spec.remoteWrite is not a list: nothing to tune");
    }

    @Test
    void unreadableEntriesAreSkippedOneByOneWithTheReason() {
        Agent a = read("""
                spec:
                  remoteWrite:
                  - name: no-url
                  - just-a-string
                  - {url: http://a, queueConfig: {maxShards: "lots"}}
                  - {url: http://b, queueConfig: {maxShards: 0}}
                  - {url: http://c, queueConfig: {capacity: 1.5}}
                  - {url: http://d, queueConfig: {capacity: 99999999999}}
                  - {url: http://e, queueConfig: "none"}
                  - {url: http://f, name: 7}
                  - {url: http://ok, queueConfig: {maxShards: 50.0}}
                """);
        assertThat(a.entries()).singleElement().satisfies(e -> {
            assertThat(e.url()).isEqualTo("http://ok");
            assertThat(e.index()).isEqualTo(8);
            assertThat(e.config().maxShards()).hasValue(50);
        });
        assertThat(a.problems()).containsExactly(
                "spec.remoteWrite[0] has no url: skipped",
                "spec.remoteWrite[1] is not an object: skipped",
                "spec.remoteWrite[2].queueConfig.maxShards is lots, not a positive integer: skipped",
                "spec.remoteWrite[3].queueConfig.maxShards is 0, not a positive integer: skipped",
                "spec.remoteWrite[4].queueConfig.capacity is 1.5, not a positive integer: skipped",
                "spec.remoteWrite[5].queueConfig.capacity is 99999999999, not a positive integer: skipped",
                "spec.remoteWrite[6].queueConfig is not an object: skipped",
                "spec.remoteWrite[7].name is not a string: skipped");
    }
}
