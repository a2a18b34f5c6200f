package io.rwautoscaler.core.shards;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which series describe which remoteWrite entry, including the cases where the answer must be "none". */
class QueueMatchingTest {

    static final String URL = "http://thanos-receive-lb:19291/api/v1/receive";
    static final String OTHER_URL = "http://backup:19291/api/v1/receive";

    static RemoteWriteEntry entry(int index, String name, String url) {
        return new RemoteWriteEntry(index, Optional.ofNullable(name), url, QueueConfig.of(10, 100, 20000, 2000));
    }

    static Agent agent(String kind, String name, RemoteWriteEntry... entries) {
        return new Agent(kind, "monitoring", name, "uid-" + name, List.of(entries), List.of());
    }

    static QueueSeries series(String pod, String remoteName, String url) {
        return new QueueSeries("monitoring", pod, remoteName, url);
    }

    @ParameterizedTest(name = "{0} {1} owns {2}: {3}")
    @CsvSource({
            "PrometheusAgent, agent, prom-agent-agent-0, true",
            "PrometheusAgent, agent, prom-agent-agent-shard-1-0, true",
            "PrometheusAgent, agent, prom-agent-agent-x7k2p, true",
            "PrometheusAgent, agent, prom-agent-agent-b-0, false",
            "PrometheusAgent, agent, prometheus-agent-0, false",
            "Prometheus, k8s, prometheus-k8s-0, true",
            "Prometheus, k8s, prometheus-k8s-shard-2-1, true",
            "Prometheus, k8s, prom-agent-k8s-0, false",
            "Prometheus, k8s, prometheus-k8s-extra-0, false",
            "local, prometheus-agent-healthy-0, prometheus-agent-healthy-0, true",
            "local, prometheus-agent-healthy-0, prometheus-agent-healthy-1, false",
    })
    void podOwnershipFollowsOperatorNaming(String kind, String name, String pod, boolean owns) {
        assertThat(agent(kind, name).ownsPod(pod)).isEqualTo(owns);
    }

    @Test
    void namedEntryMatchesByRemoteNameAndUnnamedByUrl() {
        Agent a = agent(Agent.PROMETHEUS_AGENT, "agent", entry(0, "thanos", URL), entry(1, null, OTHER_URL));
        QueueSeries named = series("prom-agent-agent-0", "thanos", URL);
        QueueSeries hashed = series("prom-agent-agent-0", "a1b2c3", OTHER_URL);
        QueueMatching.Result r = QueueMatching.match(List.of(a), List.of(named, hashed));

        assertThat(r.queues()).extracting(QueueMatching.MatchedQueue::id).containsExactly(
                QueueId.of("monitoring", "agent", "thanos", URL), QueueId.of("monitoring", "agent", "", OTHER_URL));
        assertThat(r.queues().get(0).series()).containsExactly(named);
        assertThat(r.queues().get(1).series()).containsExactly(hashed);
        assertThat(r.unmatched()).isEmpty();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void seriesOfEveryPodOfAShardedAgentGoToTheSameEntry() {
        Agent a = agent(Agent.PROMETHEUS_AGENT, "agent", entry(0, "thanos", URL));
        List<QueueSeries> pods = List.of(series("prom-agent-agent-0", "thanos", URL),
                series("prom-agent-agent-1", "thanos", URL), series("prom-agent-agent-shard-1-0", "thanos", URL));
        QueueMatching.Result r = QueueMatching.match(List.of(a), pods);
        assertThat(r.queues()).singleElement().satisfies(q -> assertThat(q.series()).hasSize(3));
    }

    @Test
    void entryWithoutSeriesIsStillAQueue() {
        Agent a = agent(Agent.PROMETHEUS_AGENT, "new-agent", entry(0, "thanos", URL));
        QueueMatching.Result r = QueueMatching.match(List.of(a), List.of());
        assertThat(r.queues()).singleElement().satisfies(q -> assertThat(q.series()).isEmpty());
    }

    @Test
    void twoAgentsWithTheSameEntryNameAreToldApartByPod() {
        Agent a = agent(Agent.PROMETHEUS_AGENT, "a", entry(0, "thanos", URL));
        Agent b = agent(Agent.PROMETHEUS_AGENT, "b", entry(0, "thanos", URL));
        QueueSeries sa = series("prom-agent-a-0", "thanos", URL);
        QueueSeries sb = series("prom-agent-b-0", "thanos", URL);
        QueueMatching.Result r = QueueMatching.match(List.of(a, b), List.of(sa, sb));
        assertThat(r.queues()).extracting(q -> q.series().get(0)).containsExactly(sa, sb);
    }

    @Test
    void podOfNoAgentFallsBackToTheOnlyAgentOfItsNamespaceWithThatEntry() {
        Agent a = agent(Agent.PROMETHEUS_AGENT, "a", entry(0, "thanos", URL));
        QueueSeries s = series("renamed-pod-0", "thanos", URL);
        assertThat(QueueMatching.match(List.of(a), List.of(s)).queues().get(0).series()).containsExactly(s);

        Agent b = agent(Agent.PROMETHEUS_AGENT, "b", entry(0, "thanos", URL));
        QueueMatching.Result two = QueueMatching.match(List.of(a, b), List.of(s));
        assertThat(two.unmatched()).containsExactly(s);
        assertThat(two.problems()).singleElement().asString().contains("2 agents");
    }

    @Test
    void twoUnnamedEntriesWithOneUrlCannotBeToldApart() {
        Agent a = agent(Agent.PROMETHEUS, "k8s", entry(0, null, URL), entry(1, null, URL));
        QueueSeries s = series("prometheus-k8s-0", "a1b2c3", URL);
        QueueMatching.Result r = QueueMatching.match(List.of(a), List.of(s));
        assertThat(r.queues()).isEmpty();
        assertThat(r.unmatched()).containsExactly(s);
        assertThat(r.problems()).singleElement().asString().contains("neither is tuned");
    }

    @Test
    void seriesOfAnOldUrlUnderTheSameNameIsNotTheEntry() {
        Agent a = agent(Agent.PROMETHEUS_AGENT, "a", entry(0, "thanos", URL));
        QueueSeries stale = series("prom-agent-a-0", "thanos", OTHER_URL);
        QueueMatching.Result r = QueueMatching.match(List.of(a), List.of(stale));
        assertThat(r.unmatched()).containsExactly(stale);
        assertThat(r.queues().get(0).series()).isEmpty();
    }

    @Test
    void seriesOfAnotherNamespaceIsUnmatched() {
        Agent a = agent(Agent.PROMETHEUS_AGENT, "a", entry(0, "thanos", URL));
        QueueSeries elsewhere = new QueueSeries("other", "prom-agent-a-0", "thanos", URL);
        assertThat(QueueMatching.match(List.of(a), List.of(elsewhere)).unmatched()).containsExactly(elsewhere);
    }
}
