package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.model.MetricKind;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.model.Sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Everything the metrics APIs answer from: each rule's last good data, the pods, indexed once per refresh by
 * metric, kind, namespace and name. Immutable: a refresh publishes a new one, requests never wait.
 */
public final class Snapshot {

    private final Instant createdAt;
    private final Map<String, MetricRule> rules;
    private final Map<String, MetricData> data;
    private final Map<String, String> lastErrors;
    private final List<PodInfo> pods;
    private final ObjectLabels objectLabels;
    /** metric -> kind -> namespace ("" for cluster-scoped) -> name -> series. */
    private final Map<String, Map<ResourceKind, Map<String, Map<String, List<Sample>>>>> index = new HashMap<>();
    /** Sums over all agent series, per question, computed on first use (see {@link #agentTotal}). */
    private final Map<AgentTotalKey, AgentTotal> agentTotals = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int AGENT_TOTALS_KEPT = 64;
    /** namespace -> name -> pod. */
    private final Map<String, Map<String, PodInfo>> podIndex = new HashMap<>();
    /** namespace -> the pods' names by label, so a pod selector looks at the pods it names, not at every pod. */
    private final Map<String, LabelIndex> podLabels = new HashMap<>();
    /**
     * metric -> namespace -> pods with series that the inventory does not know (their labels are the labels
     * their series share): a selector is matched against these one by one. Empty when the inventory knows every pod.
     */
    private final Map<String, Map<String, List<String>>> podsWithoutInfo = new HashMap<>();

    public Snapshot(Instant createdAt, Collection<MetricRule> rules, Map<String, MetricData> data,
                    Map<String, String> lastErrors, List<PodInfo> pods, ObjectLabels objectLabels) {
        this(createdAt, byName(rules), data, lastErrors, pods, objectLabels, null);
    }

    private static Map<String, MetricRule> byName(Collection<MetricRule> rules) {
        Map<String, MetricRule> r = new LinkedHashMap<>();
        rules.forEach(rule -> r.put(rule.name(), rule));
        return r;
    }

    /**
     * Indexes what {@code base} (when given) has not: a rule whose data is the very object {@code base} holds keeps
     * base's index, and the same pod list keeps base's pod indexes.
     */
    private Snapshot(Instant createdAt, Map<String, MetricRule> rules, Map<String, MetricData> data,
                     Map<String, String> lastErrors, List<PodInfo> pods, ObjectLabels objectLabels, Snapshot base) {
        this.createdAt = createdAt;
        this.rules = Map.copyOf(rules);
        this.data = Map.copyOf(data);
        this.lastErrors = Map.copyOf(lastErrors);
        this.objectLabels = objectLabels;
        boolean samePods = base != null && base.pods == pods && base.objectLabels.equals(objectLabels);
        this.pods = samePods ? base.pods : List.copyOf(pods);
        if (samePods) {
            podIndex.putAll(base.podIndex);
            podLabels.putAll(base.podLabels);
        } else {
            for (PodInfo p : this.pods) {
                podIndex.computeIfAbsent(p.namespace(), k -> new HashMap<>()).put(p.name(), p);
            }
            podIndex.forEach((ns, named) -> {
                LabelIndex byLabel = new LabelIndex();
                named.forEach((name, p) -> byLabel.add(name, p.labels()));
                podLabels.put(ns, byLabel);
            });
        }
        this.data.forEach((metric, d) -> {
            boolean sameData = base != null && base.data.get(metric) == d && base.objectLabels.equals(objectLabels);
            Map<ResourceKind, Map<String, Map<String, List<Sample>>>> byKind = sameData ? base.index.get(metric)
                    : indexByObject(d.samples());
            index.put(metric, byKind);
            if (sameData && samePods) {
                Map<String, List<String>> known = base.podsWithoutInfo.get(metric);
                if (known != null) {
                    podsWithoutInfo.put(metric, known);
                }
                return;
            }
            Map<String, List<String>> unknown = new HashMap<>();
            byKind.getOrDefault(ResourceKind.PODS, Map.of()).forEach((ns, objects) -> {
                Map<String, PodInfo> known = podIndex.getOrDefault(ns, Map.of());
                for (String name : objects.keySet()) {
                    if (!known.containsKey(name)) {
                        unknown.computeIfAbsent(ns, k -> new ArrayList<>()).add(name);
                    }
                }
            });
            if (!unknown.isEmpty()) {
                podsWithoutInfo.put(metric, unknown);
            }
        });
    }

    /**
     * This snapshot with one rule's data and last error replaced ({@code null}: none), everything else shared. A
     * refresh publishes one after each rule, so the old series of a rule are dropped as soon as its new ones are
     * indexed, instead of every rule's old and new series being held together until the refresh ends.
     */
    public Snapshot withRule(Instant createdAt, String metric, MetricData newData, String error) {
        Map<String, MetricData> d = new HashMap<>(data);
        Map<String, String> e = new HashMap<>(lastErrors);
        if (newData == null) {
            d.remove(metric);
        } else {
            d.put(metric, newData);
        }
        if (error == null) {
            e.remove(metric);
        } else {
            e.put(metric, error);
        }
        return new Snapshot(createdAt, rules, d, e, pods, objectLabels, this);
    }

    /** As the public constructor, reusing this snapshot's index of every rule whose data object is unchanged. */
    public Snapshot with(Instant createdAt, Collection<MetricRule> rules, Map<String, MetricData> data,
                         Map<String, String> lastErrors, List<PodInfo> pods) {
        return new Snapshot(createdAt, byName(rules), data, lastErrors, pods, objectLabels, this);
    }

    public static Snapshot empty(Instant now, Collection<MetricRule> rules, ObjectLabels labels) {
        return new Snapshot(now, rules, Map.of(), Map.of(), List.of(), labels);
    }

    private Map<ResourceKind, Map<String, Map<String, List<Sample>>>> indexByObject(List<Sample> samples) {
        Map<ResourceKind, Map<String, Map<String, List<Sample>>>> byKind = new HashMap<>();
        for (Sample s : samples) {
            String ns = s.label(objectLabels.namespace());
            if (ns == null || ns.isEmpty()) {
                continue;
            }
            add(byKind, ResourceKind.NAMESPACES, "", ns, s);
            String pod = s.label(objectLabels.pod());
            if (pod != null && !pod.isEmpty()) {
                add(byKind, ResourceKind.PODS, ns, pod, s);
            }
            String svc = s.label(objectLabels.service());
            if (svc != null && !svc.isEmpty()) {
                add(byKind, ResourceKind.SERVICES, ns, svc, s);
            }
        }
        return byKind;
    }

    private static void add(Map<ResourceKind, Map<String, Map<String, List<Sample>>>> byKind, ResourceKind kind,
                            String ns, String name, Sample s) {
        byKind.computeIfAbsent(kind, k -> new HashMap<>())
                .computeIfAbsent(ns, k -> new TreeMap<>())
                .computeIfAbsent(name, k -> new ArrayList<>())
                .add(s);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Map<String, MetricRule> rules() {
        return rules;
    }

    public Optional<MetricData> data(String metric) {
        return Optional.ofNullable(data.get(metric));
    }

    public Optional<String> lastError(String metric) {
        return Optional.ofNullable(lastErrors.get(metric));
    }

    public List<PodInfo> pods() {
        return pods;
    }

    public List<MetricRule> rulesServedAs(MetricKind kind) {
        return rules.values().stream().filter(r -> r.servedAs(kind)).sorted(Comparator.comparing(MetricRule::name)).toList();
    }

    /** The rule's data age, or why there is none; empty when fresh enough to serve. */
    public Optional<String> staleness(String metric, Instant now, Duration maxStaleness) {
        MetricData d = data.get(metric);
        String err = lastErrors.get(metric);
        String cause = err == null ? "" : "; last refresh error: " + err;
        if (d == null) {
            return Optional.of("no data yet for metric " + metric + ": no refresh has succeeded" + cause);
        }
        Duration age = Duration.between(d.fetchedAt(), now);
        if (age.compareTo(maxStaleness) > 0) {
            return Optional.of("data for metric " + metric + " is " + age.toSeconds() + "s old (limit "
                    + maxStaleness.toSeconds() + "s)" + cause);
        }
        return Optional.empty();
    }

    private MetricRule rule(String metric, MetricKind kind, String forWhat) {
        MetricRule rule = rules.get(metric);
        if (rule == null || !rule.servedAs(kind)) {
            throw LookupException.notFound("the server could not find the metric " + metric + " for " + forWhat);
        }
        return rule;
    }

    private MetricData fresh(String metric, Instant now, Duration maxStaleness) {
        staleness(metric, now, maxStaleness).ifPresent(why -> {
            throw LookupException.unavailable(why);
        });
        return data.get(metric);
    }

    /** Answers a custom.metrics.k8s.io request. */
    public List<ObjectValue> custom(CustomMetricQuery q, ReceiverFeed feed, Instant now, Duration maxStaleness) {
        String forWhat = q.kind().qualifiedResource() + (q.all() ? "" : " " + q.name());
        MetricRule rule = rule(q.metric(), MetricKind.CUSTOM, forWhat);
        MetricData d = fresh(q.metric(), now, maxStaleness);
        Map<String, Map<String, List<Sample>>> byNs = index.getOrDefault(q.metric(), Map.of()).getOrDefault(q.kind(), Map.of());
        Map<String, List<Sample>> objects = byNs.getOrDefault(q.namespace(), Map.of());

        if (q.kind().equals(ResourceKind.PODS) && rule.distributeToReceivers()) {
            Optional<List<ObjectValue>> spread = spreadOverReceivers(q, rule, d, objects, feed);
            if (spread.isPresent()) {
                return spread.get();
            }
        }

        List<ObjectValue> out = new ArrayList<>();
        if (!q.all()) {
            List<Sample> series = objects.get(q.name());
            Optional<ObjectValue> v = series == null ? Optional.empty() : value(q, rule, q.name(), series);
            if (v.isEmpty()) {
                throw LookupException.notFound("the server could not find the metric " + q.metric() + " for "
                        + forWhat + (q.namespace().isEmpty() ? "" : " in namespace " + q.namespace()));
            }
            out.add(v.get());
            return out;
        }
        for (Map.Entry<String, List<Sample>> e : selectable(q, objects)) {
            if (!q.selector().isEverything() && !q.selector().matches(objectLabels(q.kind(), q.namespace(), e.getKey(), e.getValue()))) {
                continue;
            }
            value(q, rule, e.getKey(), e.getValue()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * The objects a list request has to match, in name order: for pods and a selector with an {@code =} or
     * {@code in} requirement, the pods the label index names plus the pods the inventory does not know; else all.
     */
    private Iterable<Map.Entry<String, List<Sample>>> selectable(CustomMetricQuery q, Map<String, List<Sample>> objects) {
        if (!q.kind().equals(ResourceKind.PODS) || q.selector().isEverything()) {
            return objects.entrySet();
        }
        Optional<java.util.TreeSet<String>> names = podLabels.getOrDefault(q.namespace(), LabelIndex.EMPTY)
                .candidates(q.selector());
        if (names.isEmpty()) {
            return objects.entrySet();
        }
        java.util.TreeSet<String> pick = names.get();
        pick.addAll(podsWithoutInfo.getOrDefault(q.metric(), Map.of()).getOrDefault(q.namespace(), List.of()));
        List<Map.Entry<String, List<Sample>>> out = new ArrayList<>();
        for (String name : pick) {
            List<Sample> series = objects.get(name);
            if (series != null) {
                out.add(Map.entry(name, series));
            }
        }
        return out;
    }

    /** The namespace's pods that can match {@code selector} (from the label index when it narrows), unmatched. */
    private Collection<PodInfo> podsSelectable(String namespace, LabelSelector selector) {
        Map<String, PodInfo> nsPods = podIndex.getOrDefault(namespace, Map.of());
        Optional<java.util.TreeSet<String>> names = podLabels.getOrDefault(namespace, LabelIndex.EMPTY).candidates(selector);
        if (names.isEmpty()) {
            return nsPods.values();
        }
        List<PodInfo> out = new ArrayList<>(names.get().size());
        names.get().forEach(n -> out.add(nsPods.get(n)));
        return out;
    }

    private Optional<ObjectValue> value(CustomMetricQuery q, MetricRule rule, String name, List<Sample> series) {
        List<Double> values = new ArrayList<>();
        Instant ts = null;
        for (Sample s : series) {
            if (!q.metricSelector().matches(s.labels())) {
                continue;
            }
            values.add(s.value());
            ts = ts == null || s.timestamp().isAfter(ts) ? s.timestamp() : ts;
        }
        OptionalDouble v = rule.aggregation().apply(values);
        if (v.isEmpty() || !Double.isFinite(v.getAsDouble())) {
            return Optional.empty();
        }
        return Optional.of(new ObjectValue(new ObjectRef(q.kind(), q.namespace(), name), v.getAsDouble(), ts, rule.window()));
    }

    /** Labels a selector is matched against: the pod's own labels when known, else the labels all its series share. */
    private Map<String, String> objectLabels(ResourceKind kind, String ns, String name, List<Sample> series) {
        if (kind.equals(ResourceKind.PODS)) {
            PodInfo p = podIndex.getOrDefault(ns, Map.of()).get(name);
            if (p != null) {
                return p.labels();
            }
        }
        Map<String, String> common = new HashMap<>(series.get(0).labels());
        for (Sample s : series) {
            common.entrySet().removeIf(e -> !e.getValue().equals(s.labels().get(e.getKey())));
        }
        return common;
    }

    /**
     * The runbook's HPA asks for the agents' queue on receive pods ({@code type: Pods}, AverageValue 3000).
     * The queue lives on the agents, so each selected ready receiver gets (total queue of the agents feeding
     * them) / (ready receivers): the HPA's average is then the total over its pods, and desired replicas =
     * ceil(total / 3000). Empty when the request is not about receivers (then per-pod values are served).
     */
    private Optional<List<ObjectValue>> spreadOverReceivers(CustomMetricQuery q, MetricRule rule, MetricData d,
                                                            Map<String, List<Sample>> objects, ReceiverFeed feed) {
        Map<String, PodInfo> nsPods = podIndex.getOrDefault(q.namespace(), Map.of());
        List<PodInfo> selected = new ArrayList<>();
        if (q.all()) {
            for (PodInfo p : podsSelectable(q.namespace(), q.selector())) {
                if (q.selector().matches(p.labels())) {
                    selected.add(p);
                }
            }
        } else if (nsPods.containsKey(q.name())) {
            selected.add(nsPods.get(q.name()));
        }
        if (selected.isEmpty() || selected.stream().anyMatch(p -> objects.containsKey(p.name()))) {
            return Optional.empty();
        }
        List<PodInfo> receivers = selected.stream()
                .filter(p -> p.ready() && feed.receiverPods().matches(p.labels()))
                .sorted(Comparator.comparing(PodInfo::name))
                .toList();
        if (receivers.isEmpty()) {
            return Optional.empty();
        }
        // For one named pod, the share is over every ready receiver of the namespace, as for pods/*.
        long readyReceivers = q.all() ? receivers.size() : podsSelectable(q.namespace(), feed.receiverPods()).stream()
                .filter(p -> p.ready() && feed.receiverPods().matches(p.labels())).count();
        AgentTotal agents = agentTotal(q.metric(), d, q.metricSelector(), feed.agents());
        double total = agents.total();
        int contributing = agents.contributing();
        Instant ts = agents.newest();
        if (contributing == 0) {
            throw LookupException.notFound("the server could not find the metric " + q.metric()
                    + ": no agent series feed the receivers " + feed.receiverPods() + (agents.failing() == 0 ? ""
                    : " (" + agents.failing() + " queue(s) left out: their remote-write endpoint is failing, a backlog"
                    + " no receiver can drain; see /api/v1/receivers failingQueues)"));
        }
        double share = total / readyReceivers;
        List<ObjectValue> out = new ArrayList<>();
        for (PodInfo p : receivers) {
            out.add(new ObjectValue(new ObjectRef(ResourceKind.PODS, q.namespace(), p.name()), share, ts, rule.window()));
        }
        return Optional.of(out);
    }

    private record AgentTotalKey(String metric, LabelSelector metricSelector, LabelSelector agents) {
    }

    private record AgentTotal(double total, int contributing, int failing, Instant newest) {
    }

    /**
     * The sum over every agent series is the same for every HPA asking within one snapshot, so it is computed once
     * per (metric, metricLabelSelector) and kept with the snapshot; a few entries at most, so the cache stops
     * growing at {@link #AGENT_TOTALS_KEPT} (beyond that, sums are computed per request).
     */
    private AgentTotal agentTotal(String metric, MetricData d, LabelSelector metricSelector, LabelSelector agents) {
        AgentTotalKey key = new AgentTotalKey(metric, metricSelector, agents);
        AgentTotal known = agentTotals.get(key);
        if (known != null) {
            return known;
        }
        double total = 0;
        int contributing = 0;
        Instant ts = null;
        int failing = 0;
        for (Sample s : d.samples()) {
            if (!agents.matches(s.labels()) || !metricSelector.matches(s.labels())) {
                continue;
            }
            // A queue whose endpoint fails is not load the receivers could take off it (issue 14 item 2).
            if (d.failing(s)) {
                failing++;
            } else {
                total += s.value();
                contributing++;
                ts = ts == null || s.timestamp().isAfter(ts) ? s.timestamp() : ts;
            }
        }
        AgentTotal computed = new AgentTotal(total, contributing, failing, ts);
        if (agentTotals.size() < AGENT_TOTALS_KEPT) {
            agentTotals.putIfAbsent(key, computed);
        }
        return computed;
    }

    /** Answers an external.metrics.k8s.io request: the series labelled with the namespace, filtered by selector. */
    public List<ExternalValue> external(String namespace, String metric, LabelSelector selector, Instant now,
                                        Duration maxStaleness) {
        MetricRule rule = rule(metric, MetricKind.EXTERNAL, "namespace " + namespace);
        MetricData d = fresh(metric, now, maxStaleness);
        // The namespace index holds the namespace's series in the order of the data, so only they are matched,
        // not every series of the metric. An empty namespace is not indexed: it takes the full scan.
        List<Sample> candidates = namespace.isEmpty() ? d.samples() : index.getOrDefault(metric, Map.of())
                .getOrDefault(ResourceKind.NAMESPACES, Map.of()).getOrDefault("", Map.of())
                .getOrDefault(namespace, List.of());
        List<ExternalValue> out = new ArrayList<>();
        for (Sample s : candidates) {
            if (namespace.equals(s.label(objectLabels.namespace())) && selector.matches(s.labels())) {
                out.add(new ExternalValue(s.labels(), s.value(), s.timestamp(), rule.window()));
            }
        }
        return out;
    }

    /**
     * The rule's aggregation over every series of {@code metric} whose labels the selector picks: for the queue
     * (sum) with the receivers' agent selector, the same total the {@code pods/*} answer spreads over the receivers.
     *
     * @throws LookupException not found when the metric is not served or no series match; unavailable when stale
     */
    public AggregateValue aggregate(String metric, LabelSelector selector, Instant now, Duration maxStaleness) {
        MetricRule rule = rules.get(metric);
        if (rule == null) {
            throw LookupException.notFound("the server could not find the metric " + metric);
        }
        MetricData d = fresh(metric, now, maxStaleness);
        List<Double> values = new ArrayList<>();
        Instant ts = null;
        for (Sample s : d.samples()) {
            if (selector.matches(s.labels()) && !(rule.distributeToReceivers() && d.failing(s))) {
                values.add(s.value());
                ts = ts == null || s.timestamp().isAfter(ts) ? s.timestamp() : ts;
            }
        }
        OptionalDouble v = rule.aggregation().apply(values);
        if (v.isEmpty() || !Double.isFinite(v.getAsDouble())) {
            throw LookupException.notFound("no series of metric " + metric + " match the selector '" + selector + "' ("
                    + d.samples().size() + " series in all)");
        }
        return new AggregateValue(metric, v.getAsDouble(), ts, values.size());
    }
}
