package io.rwautoscaler.shards;

import io.rwautoscaler.testsupport.MockCluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.rwautoscaler.testsupport.MockCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;

/** One event per change of situation, on the agent resource; a failed write is tried again. */
public class ShardEventsTest {

    public static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    public static final Agent AGENT = new Agent(Agent.PROMETHEUS_AGENT, NS, "agent", "uid-1", List.of(), List.of());
    public static final QueueId QUEUE = QueueId.of(NS, "agent", "thanos", "http://thanos/api/v1/receive");
    static final Optional<ShardEvents.Spec> REFUSED = Optional.of(ShardEvents.Spec.warning("ShardChangeRefused",
            "queue thanos waiting-for-drain: lag 300s ≥ 60s"));

    final MockCluster cluster = new MockCluster();
    final ShardEvents events = new ShardEvents(Optional.of(cluster.client), "rwa-0");

    @AfterEach
    void stop() {
        cluster.close();
    }

    List<Event> written() {
        return cluster.client.v1().events().inNamespace(NS).list().getItems();
    }

    @Test
    void writesAnEventOnTheResource() {
        assertThat(events.report(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0)).isTrue();
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
            events.report(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0.plusSeconds(60L * minute));
        }
        assertThat(written()).hasSize(1);
    }

    @Test
    void aNewSituationIsANewEventAndAQuietStateResetsTheMemory() {
        events.report(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0);
        events.report(AGENT, QUEUE, "ok", Optional.empty(), T0.plusSeconds(60));
        events.report(AGENT, QUEUE, "waiting-for-drain x", REFUSED, T0.plusSeconds(120));
        assertThat(written()).hasSize(2);
    }

    @Test
    void aFailedWriteIsTriedAgainNextCycle() {
        cluster.server.expect().post().withPath("/api/v1/namespaces/monitoring/events")
                .andReturn(403, new StatusBuilder().withCode(403).withMessage("forbidden").build()).once();
        assertThat(events.report(AGENT, QUEUE, "reverted", REFUSED, T0)).isFalse();
        assertThat(events.report(AGENT, QUEUE, "reverted", REFUSED, T0.plusSeconds(60))).isTrue();
        assertThat(written()).hasSize(1);
    }

    @Test
    void localModeOnlyLogs() {
        ShardEvents local = new ShardEvents(Optional.empty(), "local");
        Agent pod = new Agent(Agent.LOCAL, NS, "prometheus-agent-0", "", List.of(), List.of());
        assertThat(local.report(pod, QUEUE, "reverted", REFUSED, T0)).isTrue();
        assertThat(written()).isEmpty();
    }
}
