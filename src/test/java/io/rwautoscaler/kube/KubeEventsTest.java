package io.rwautoscaler.kube;

import io.rwautoscaler.testsupport.MockCluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.rwautoscaler.kube.KubeEvents.Involved;
import io.rwautoscaler.kube.KubeEvents.Notice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.rwautoscaler.testsupport.MockCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

/** One Event per change of situation, on the involved object; a failed write is tried again; local mode logs. */
class KubeEventsTest {

    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final Involved AGENT = Involved.of("monitoring.coreos.com/v1alpha1", "PrometheusAgent", NS, "agent", "uid-1");
    static final String QUEUE = "monitoring/agent/thanos/http://thanos/api/v1/receive";
    static final Optional<Notice> REFUSED = Optional.of(new Notice(EventReason.SHARD_CHANGE_REFUSED,
            "queue thanos waiting-for-drain: lag 300s ≥ 60s"));

    final MockCluster cluster = new MockCluster();
    final KubeEvents events = new KubeEvents(Optional.of(cluster.client), "rwa-0", Optional.empty(), Optional.empty());

    @AfterEach
    void stop() {
        cluster.close();
    }

    List<Event> written() {
        return cluster.client.v1().events().inNamespace(NS).list().getItems();
    }

    @Test
    void writesAnEventOnTheResource() {
        assertThat(events.post(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0)).isTrue();
        assertThat(written()).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("monitoring.coreos.com/v1alpha1");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("PrometheusAgent");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("agent");
            assertThat(e.getInvolvedObject().getNamespace()).isEqualTo(NS);
            assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-1");
            assertThat(e.getReason()).isEqualTo("ShardChangeRefused");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("lag 300s");
            assertThat(e.getSource().getComponent()).isEqualTo("remote-write-autoscaler");
            assertThat(e.getReportingInstance()).isEqualTo("rwa-0");
            assertThat(e.getFirstTimestamp()).isEqualTo("2026-11-25T12:00:00Z");
        });
    }

    @Test
    void theSameSituationEveryMinuteIsOneEvent() {
        for (int minute = 0; minute < 10; minute++) {
            events.post(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0.plusSeconds(60L * minute));
        }
        assertThat(written()).hasSize(1);
    }

    @Test
    void aNewSituationIsANewEventAndAQuietStateResetsTheMemory() {
        events.post(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0);
        events.post(AGENT, QUEUE, "ok", Optional.empty(), T0.plusSeconds(60));
        events.post(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0.plusSeconds(120));
        assertThat(written()).hasSize(2);
    }

    @Test
    void aFailedWriteIsTriedAgainNextCycle() {
        cluster.server.expect().post().withPath("/api/v1/namespaces/monitoring/events")
                .andReturn(403, new StatusBuilder().withCode(403).withMessage("forbidden").build()).once();
        assertThat(events.post(AGENT, QUEUE, "reverted", REFUSED, T0)).isFalse();
        assertThat(events.post(AGENT, QUEUE, "reverted", REFUSED, T0.plusSeconds(60))).isTrue();
        assertThat(written()).hasSize(1);
    }

    @Test
    void localModeOnlyLogs() {
        KubeEvents local = new KubeEvents(Optional.empty(), "local", Optional.empty(), Optional.empty());
        assertThat(local.post(AGENT, QUEUE, "reverted", REFUSED, T0)).isTrue();
        Involved pod = Involved.local("Pod", NS, "prometheus-agent-0");
        assertThat(events.post(pod, QUEUE, "reverted", REFUSED, T0)).isTrue();
        assertThat(written()).isEmpty();
    }

    @Test
    void theSameEventIsPostedAgainOnlyAfterRepeatAfter() {
        KubeEvents repeating = new KubeEvents(Optional.of(cluster.client), "rwa-0", Optional.empty(),
                Optional.of(Duration.ofMinutes(10)));
        assertThat(repeating.post(AGENT, EventReason.HASHRING_UPDATED, "5 endpoints", T0)).isTrue();
        assertThat(repeating.post(AGENT, EventReason.HASHRING_UPDATED, "5 endpoints", T0.plusSeconds(540))).isFalse();
        assertThat(repeating.post(AGENT, EventReason.HASHRING_UPDATED, "6 endpoints", T0.plusSeconds(540))).isTrue();
        assertThat(repeating.post(AGENT, EventReason.HASHRING_UPDATED, "5 endpoints", T0.plusSeconds(600))).isTrue();
        assertThat(written()).hasSize(3);
    }

    @Test
    void oneTruncationOneComponentOneLabelRule() {
        events.post(AGENT, EventReason.SHARD_BOUNDS_CHANGED, "x".repeat(5000), T0);
        assertThat(written()).singleElement().satisfies(e -> {
            assertThat(e.getMessage()).hasSize(1024).endsWith("…");
            assertThat(e.getReportingComponent()).isEqualTo(KubeEvents.COMPONENT);
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getMetadata().getLabels()).isNullOrEmpty();
        });
    }
}
