package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.model.Aggregation;
import io.rwautoscaler.core.model.MetricKind;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.model.Sample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Instant SAMPLED = NOW.minusSeconds(7);
    static final Duration STALE = Duration.ofMinutes(2);

    static final MetricRule QUEUE = new MetricRule("queue", "q", Optional.empty(),
            Set.of(MetricKind.CUSTOM, MetricKind.EXTERNAL), Aggregation.SUM, Duration.ZERO, true, "");
    static final MetricRule LAG = new MetricRule("lag", "q", Optional.empty(),
            Set.of(MetricKind.CUSTOM), Aggregation.MAX, Duration.ofMinutes(5), false, "");

    static Sample agent(String pod, String queue, double v) {
        return new Sample(Map.of("namespace", "monitoring", "pod", pod, "job", "prometheus-agent",
                "remote_name", queue, "app", "prometheus-agent"), v, SAMPLED);
    }

    static PodInfo receiver(String name, boolean ready) {
        return new PodInfo("monitoring", name, Map.of("app", "thanos-receive"), ready);
    }

    static Snapshot snapshot(List<Sample> queue, List<PodInfo> pods, Instant fetchedAt) {
        return new Snapshot(NOW, List.of(QUEUE, LAG),
                Map.of("queue", new MetricData(QUEUE, queue, fetchedAt), "lag", new MetricData(LAG, queue, fetchedAt)),
                Map.of(), pods, ObjectLabels.DEFAULT);
    }

    static CustomMetricQuery pods(String metric, String name, String selector) {
        return new CustomMetricQuery(ResourceKind.PODS, "monitoring", name, metric, LabelSelector.parse(selector), LabelSelector.parse(""));
    }

    final List<Sample> twoAgents = List.of(agent("agent-a", "q1", 1000), agent("agent-a", "q2", 500), agent("agent-b", "q1", 7500));
    final List<PodInfo> threeReceivers = List.of(receiver("thanos-receive-0", true), receiver("thanos-receive-1", true),
            receiver("thanos-receive-2", true));

    @Test
    void aPodsValueAggregatesItsQueuesWithTheRulesAggregation() {
        Snapshot s = snapshot(twoAgents, List.of(), NOW);
        assertThat(s.custom(pods("queue", "agent-a", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .containsExactly(new ObjectValue(new ObjectRef(ResourceKind.PODS, "monitoring", "agent-a"), 1500, SAMPLED, Duration.ZERO));
        assertThat(s.custom(pods("lag", "agent-a", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(ObjectValue::value, ObjectValue::window).containsExactly(org.assertj.core.groups.Tuple.tuple(1000.0, Duration.ofMinutes(5)));
    }

    @Test
    void allPodsMatchingTheSelectorInTheNamespace() {
        Snapshot s = snapshot(twoAgents, List.of(), NOW);
        assertThat(s.custom(pods("queue", "*", "app=prometheus-agent"), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(v -> v.object().name(), ObjectValue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent-a", 1500.0), org.assertj.core.groups.Tuple.tuple("agent-b", 7500.0));
        assertThat(s.custom(pods("queue", "*", "app=other"), ReceiverFeed.DEFAULT, NOW, STALE)).isEmpty();
    }

    @Test
    void metricLabelSelectorFiltersSeriesBeforeAggregating() {
        Snapshot s = snapshot(twoAgents, List.of(), NOW);
        var q = new CustomMetricQuery(ResourceKind.PODS, "monitoring", "agent-a", "queue", LabelSelector.parse(""), LabelSelector.parse("remote_name=q2"));
        assertThat(s.custom(q, ReceiverFeed.DEFAULT, NOW, STALE)).extracting(ObjectValue::value).containsExactly(500.0);
    }

    @Test
    void theNamespaceItselfSumsEverySeriesInIt() {
        Snapshot s = snapshot(twoAgents, List.of(), NOW);
        var q = new CustomMetricQuery(ResourceKind.NAMESPACES, "", "monitoring", "queue", LabelSelector.parse(""), LabelSelector.parse(""));
        assertThat(s.custom(q, ReceiverFeed.DEFAULT, NOW, STALE))
                .containsExactly(new ObjectValue(new ObjectRef(ResourceKind.NAMESPACES, "", "monitoring"), 9000, SAMPLED, Duration.ZERO));
    }

    @Test
    void receiverPodsShareTheAgentsTotalSoTheHpaAverageIsTotalOverReplicas() {
        Snapshot s = snapshot(twoAgents, threeReceivers, NOW);
        List<ObjectValue> values = s.custom(pods("queue", "*", "app=thanos-receive"), ReceiverFeed.DEFAULT, NOW, STALE);
        assertThat(values).extracting(v -> v.object().name()).containsExactly("thanos-receive-0", "thanos-receive-1", "thanos-receive-2");
        assertThat(values).extracting(ObjectValue::value).containsOnly(3000.0);
        // The HPA's desired replicas: ceil(3 × 3000 / 3000) = 3, i.e. ceil(total / target).
        double average = values.stream().mapToDouble(ObjectValue::value).average().orElseThrow();
        assertThat(Math.ceil(values.size() * average / 3000)).isEqualTo(Math.ceil(9000 / 3000.0));
    }

    @Test
    void unreadyReceiversGetNoShareAndDoNotDilute() {
        Snapshot s = snapshot(twoAgents, List.of(receiver("thanos-receive-0", true), receiver("thanos-receive-1", false),
                receiver("thanos-receive-2", true)), NOW);
        assertThat(s.custom(pods("queue", "*", "app=thanos-receive"), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(v -> v.object().name(), ObjectValue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("thanos-receive-0", 4500.0),
                        org.assertj.core.groups.Tuple.tuple("thanos-receive-2", 4500.0));
    }

    @Test
    void oneNamedReceiverGetsTheShareOverAllReadyReceivers() {
        Snapshot s = snapshot(twoAgents, threeReceivers, NOW);
        assertThat(s.custom(pods("queue", "thanos-receive-1", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(ObjectValue::value).containsExactly(3000.0);
    }

    /** agent-b's queue q1 (7500 pending) has an endpoint that refuses everything. */
    static Snapshot withFailingQueue(List<Sample> queue, List<PodInfo> pods) {
        Set<MetricData.QueueKey> failing = Set.of(MetricData.QueueKey.of(agent("agent-b", "q1", 0)));
        return new Snapshot(NOW, List.of(QUEUE, LAG),
                Map.of("queue", new MetricData(QUEUE, queue, NOW, failing), "lag", new MetricData(LAG, queue, NOW, failing)),
                Map.of(), pods, ObjectLabels.DEFAULT);
    }

    @Test
    void aQueueWhoseEndpointFailsIsNotTheReceiversShareButStaysServedForItsAgent() {
        Snapshot s = withFailingQueue(twoAgents, threeReceivers);
        // (1000 + 500) / 3: agent-b's 7500 is a backlog no receiver can drain
        assertThat(s.custom(pods("queue", "*", "app=thanos-receive"), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(ObjectValue::value).containsOnly(500.0);
        assertThat(s.aggregate("queue", LabelSelector.parse(""), NOW, STALE).value()).isEqualTo(1500.0);
        // per agent, the value is what PromQL says
        assertThat(s.custom(pods("queue", "agent-b", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(ObjectValue::value).containsExactly(7500.0);
        assertThat(s.external("monitoring", "queue", LabelSelector.parse("pod=agent-b"), NOW, STALE))
                .extracting(ExternalValue::value).containsExactly(7500.0);
    }

    @Test
    void whenEveryQueueFeedingTheReceiversFailsTheShareIsNotFoundAndSaysWhy() {
        Snapshot s = withFailingQueue(List.of(agent("agent-b", "q1", 7500)), threeReceivers);
        assertThatThrownBy(() -> s.custom(pods("queue", "*", "app=thanos-receive"), ReceiverFeed.DEFAULT, NOW, STALE))
                .isInstanceOf(LookupException.class)
                .hasMessageContaining("1 queue(s) left out: their remote-write endpoint is failing");
    }

    @Test
    void onlyAgentsThatFeedTheReceiversCount() {
        Snapshot s = snapshot(twoAgents, threeReceivers, NOW);
        var feed = new ReceiverFeed(LabelSelector.parse("app=thanos-receive"), LabelSelector.parse("pod=agent-b"));
        assertThat(s.custom(pods("queue", "*", "app=thanos-receive"), feed, NOW, STALE))
                .extracting(ObjectValue::value).containsOnly(2500.0);
    }

    @Test
    void rulesThatDoNotDistributeServeNothingForReceivers() {
        Snapshot s = snapshot(twoAgents, threeReceivers, NOW);
        assertThat(s.custom(pods("lag", "*", "app=thanos-receive"), ReceiverFeed.DEFAULT, NOW, STALE)).isEmpty();
    }

    @Test
    void unknownMetricOrObjectIsNotFound() {
        Snapshot s = snapshot(twoAgents, List.of(), NOW);
        assertThatThrownBy(() -> s.custom(pods("nope", "agent-a", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .isInstanceOfSatisfying(LookupException.class, e -> assertThat(e.kind()).isEqualTo(LookupException.Kind.NOT_FOUND))
                .hasMessageContaining("could not find the metric nope");
        assertThatThrownBy(() -> s.custom(pods("queue", "agent-z", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .isInstanceOfSatisfying(LookupException.class, e -> assertThat(e.kind()).isEqualTo(LookupException.Kind.NOT_FOUND))
                .hasMessageContaining("agent-z");
    }

    @Test
    void lastGoodDataIsServedUntilTheStalenessLimitThenUnavailableWithTheCause() {
        Snapshot s = new Snapshot(NOW, List.of(QUEUE), Map.of("queue", new MetricData(QUEUE, twoAgents, NOW.minusSeconds(120))),
                Map.of("queue", "cannot connect to http://127.0.0.1:9/api/v1/query"), List.of(), ObjectLabels.DEFAULT);
        assertThat(s.custom(pods("queue", "agent-a", ""), ReceiverFeed.DEFAULT, NOW, STALE)).hasSize(1);
        assertThatThrownBy(() -> s.custom(pods("queue", "agent-a", ""), ReceiverFeed.DEFAULT, NOW.plusSeconds(1), STALE))
                .isInstanceOfSatisfying(LookupException.class, e -> assertThat(e.kind()).isEqualTo(LookupException.Kind.UNAVAILABLE))
                .hasMessageContaining("121s old (limit 120s)")
                .hasMessageContaining("cannot connect");
    }

    @Test
    void noDataYetIsUnavailableNotEmpty() {
        Snapshot s = Snapshot.empty(NOW, List.of(QUEUE), ObjectLabels.DEFAULT);
        assertThatThrownBy(() -> s.external("monitoring", "queue", LabelSelector.parse(""), NOW, STALE))
                .isInstanceOfSatisfying(LookupException.class, e -> assertThat(e.kind()).isEqualTo(LookupException.Kind.UNAVAILABLE));
    }

    /** The lookup goes through the namespace index; it must answer exactly what a scan of every series does. */
    @Test
    void externalAnswersWhatAScanOfEverySeriesAnswersInTheSameOrder() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        List<String> namespaces = List.of("monitoring", "tenant-a", "tenant-b", "");
        List<Sample> series = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Map<String, String> labels = new java.util.HashMap<>(Map.of("pod", "agent-" + random.nextInt(10),
                    "remote_name", "q" + random.nextInt(3)));
            int ns = random.nextInt(namespaces.size() + 1);
            if (ns < namespaces.size()) {
                labels.put("namespace", namespaces.get(ns)); // the last case: no namespace label at all
            }
            series.add(new Sample(labels, i, SAMPLED));
        }
        Snapshot s = snapshot(series, List.of(), NOW);
        for (String ns : List.of("monitoring", "tenant-a", "tenant-b", "", "absent")) {
            for (String selector : List.of("", "pod=agent-3", "remote_name in (q0,q2),pod!=agent-1", "!pod")) {
                LabelSelector sel = LabelSelector.parse(selector);
                List<ExternalValue> scan = series.stream()
                        .filter(x -> ns.equals(x.label("namespace")) && sel.matches(x.labels()))
                        .map(x -> new ExternalValue(x.labels(), x.value(), x.timestamp(), Duration.ZERO)).toList();
                assertThat(s.external(ns, "queue", sel, NOW, STALE)).as("%s {%s}", ns, selector).isEqualTo(scan);
            }
        }
    }

    @Test
    void externalServesSeriesOfTheNamespaceMatchingTheSelector() {
        List<Sample> samples = List.of(agent("agent-a", "q1", 10), agent("agent-b", "q1", 20),
                new Sample(Map.of("namespace", "other", "pod", "x", "remote_name", "q1"), 30, SAMPLED));
        Snapshot s = snapshot(samples, List.of(), NOW);
        assertThat(s.external("monitoring", "queue", LabelSelector.parse("pod=agent-b"), NOW, STALE))
                .extracting(ExternalValue::value).containsExactly(20.0);
        assertThat(s.external("monitoring", "queue", LabelSelector.parse(""), NOW, STALE)).hasSize(2);
        assertThatThrownBy(() -> s.external("monitoring", "lag", LabelSelector.parse(""), NOW, STALE))
                .hasMessageContaining("could not find the metric lag");
    }

    /**
     * Issue 18: pods/* with a selector is answered through the per-snapshot pod label index. Whatever the selector,
     * it answers what matching every pod object of the namespace answers (pods the inventory knows by their own
     * labels, the others by the labels their series share), in the same order.
     */
    @Test
    void podSelectorsAnswerWhatMatchingEveryPodAnswers() {
        List<Sample> series = new java.util.ArrayList<>();
        List<PodInfo> inventory = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String pod = "agent-" + i;
            String tier = i % 3 == 0 ? "gold" : i % 3 == 1 ? "silver" : "bronze";
            for (String q : List.of("q1", "q2")) {
                // The series' own labels say "team=series", which only counts for pods the inventory does not know.
                series.add(new Sample(Map.of("namespace", i % 7 == 0 ? "other" : "monitoring", "pod", pod,
                        "remote_name", q, "team", "series", "tier", tier), i + (q.equals("q1") ? 0.25 : 0.5), SAMPLED));
            }
            if (i % 10 != 9) { // one pod in ten has series but is not in the inventory
                inventory.add(new PodInfo(i % 7 == 0 ? "other" : "monitoring", pod,
                        Map.of("app", "prometheus-agent", "team", i % 2 == 0 ? "a" : "b", "pod-name", pod), true));
            }
        }
        Snapshot s = snapshot(series, inventory, NOW);
        Map<String, PodInfo> known = new java.util.HashMap<>();
        inventory.stream().filter(p -> p.namespace().equals("monitoring")).forEach(p -> known.put(p.name(), p));
        for (String selector : List.of("team=a", "team=b", "team=series", "team in (a,series)", "pod-name=agent-12",
                "pod-name=agent-12,team=b", "pod-name=agent-12,team=a", "pod-name in (agent-1,agent-2,agent-19,nope)",
                "app=prometheus-agent", "app=prometheus-agent,team!=a", "team!=a", "team notin (a,b)", "tier=gold",
                "tier=gold,team=a", "!team", "pod-name", "app=nope", "tier in (gold,silver),pod-name")) {
            LabelSelector sel = LabelSelector.parse(selector);
            java.util.TreeMap<String, Double> expected = new java.util.TreeMap<>();
            for (Sample x : series) {
                if (!"monitoring".equals(x.label("namespace"))) {
                    continue;
                }
                String pod = x.label("pod");
                Map<String, String> labels = known.containsKey(pod) ? known.get(pod).labels()
                        : Map.of("namespace", "monitoring", "pod", pod, "team", "series", "tier", x.label("tier"));
                if (sel.matches(labels)) {
                    expected.merge(pod, x.value(), Double::sum);
                }
            }
            List<ObjectValue> got = s.custom(pods("queue", "*", selector), ReceiverFeed.DEFAULT, NOW, STALE);
            assertThat(got).as("{%s}", selector).extracting(v -> v.object().name()).containsExactlyElementsOf(expected.keySet());
            assertThat(got).as("{%s}", selector).extracting(ObjectValue::value).containsExactlyElementsOf(expected.values());
        }
    }

    @Test
    void receiverSharesThroughThePodIndexAmongManyPods() {
        List<PodInfo> inventory = new java.util.ArrayList<>(threeReceivers);
        for (int i = 0; i < 500; i++) {
            inventory.add(new PodInfo("monitoring", "other-" + i, Map.of("app", "something-else"), true));
        }
        inventory.add(new PodInfo("monitoring", "thanos-receive-3", Map.of("app", "thanos-receive", "canary", "yes"), true));
        Snapshot s = snapshot(twoAgents, inventory, NOW);
        assertThat(s.custom(pods("queue", "*", "app=thanos-receive"), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(v -> v.object().name(), ObjectValue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("thanos-receive-0", 2250.0),
                        org.assertj.core.groups.Tuple.tuple("thanos-receive-1", 2250.0),
                        org.assertj.core.groups.Tuple.tuple("thanos-receive-2", 2250.0),
                        org.assertj.core.groups.Tuple.tuple("thanos-receive-3", 2250.0));
        assertThat(s.custom(pods("queue", "*", "app=thanos-receive,canary=yes"), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(v -> v.object().name(), ObjectValue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("thanos-receive-3", 9000.0));
        // One named receiver: the share over every ready receiver of the namespace (4).
        assertThat(s.custom(pods("queue", "thanos-receive-1", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(ObjectValue::value).containsExactly(2250.0);
    }

    @Test
    void withRuleReplacesOneRulesDataAndErrorAndKeepsTheRest() {
        Snapshot s = new Snapshot(NOW, List.of(QUEUE, LAG),
                Map.of("queue", new MetricData(QUEUE, twoAgents, NOW), "lag", new MetricData(LAG, twoAgents, NOW)),
                Map.of("lag", "old error"), threeReceivers, ObjectLabels.DEFAULT);
        Snapshot next = s.withRule(NOW.plusSeconds(15), "queue",
                new MetricData(QUEUE, List.of(agent("agent-c", "q1", 42)), NOW.plusSeconds(15)), null);
        assertThat(next.custom(pods("queue", "*", "app=prometheus-agent"), ReceiverFeed.DEFAULT, NOW.plusSeconds(15), STALE))
                .extracting(v -> v.object().name(), ObjectValue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent-c", 42.0));
        assertThat(next.custom(pods("lag", "agent-b", ""), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(ObjectValue::value).containsExactly(7500.0);
        assertThat(next.lastError("lag")).contains("old error");
        assertThat(next.pods()).isSameAs(s.pods());
        assertThat(next.custom(pods("queue", "*", "app=thanos-receive"), ReceiverFeed.DEFAULT, NOW, STALE))
                .extracting(ObjectValue::value).containsOnly(14.0);
        // The original is unchanged; an error with no data left removes the rule's data.
        assertThat(s.data("queue").orElseThrow().samples()).hasSize(3);
        Snapshot failed = next.withRule(NOW, "lag", null, "boom");
        assertThat(failed.data("lag")).isEmpty();
        assertThat(failed.lastError("lag")).contains("boom");
        assertThat(failed.lastError("queue")).isEmpty();
    }
}
