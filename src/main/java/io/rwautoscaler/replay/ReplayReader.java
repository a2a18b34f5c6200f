package io.rwautoscaler.replay;

import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.hpa.MetricSpec;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.model.EndpointFailure;
import io.rwautoscaler.core.model.MetricKind;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.receivers.PolicyRule;
import io.rwautoscaler.core.replay.Grid;
import io.rwautoscaler.core.replay.HpaFigures;
import io.rwautoscaler.core.replay.QueueHistory;
import io.rwautoscaler.core.replay.QueueSignal;
import io.rwautoscaler.core.replay.ReceiverHistory;
import io.rwautoscaler.core.replay.ReplaySettings;
import io.rwautoscaler.core.replay.ReplayWindow;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.prometheus.Prometheus;
import io.rwautoscaler.prometheus.PrometheusException;
import io.rwautoscaler.prometheus.RangeMatrix;
import io.rwautoscaler.core.shards.QueueFigure;
import io.rwautoscaler.shards.QueueObserver;
import io.rwautoscaler.shards.QueueQueries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Observe step of the replay: the window's history with range queries only, never one query per step. The receiver
 * side reads each distinct rule expression, samples/s and the real replicas at the policy's evaluation step (the
 * resolution live proves {@code for} windows at); the shard side reads each queue figure the shard tuner uses once
 * for all queues at the replay's step, and shards_desired from a history window earlier. Queries are cut into
 * chunks of at most {@link ReplayWindow#MAX_POINTS} points per series, so their number depends on the window's
 * length, never on the number of steps or queues.
 */
final class ReplayReader {

    /** Signals and the live shard tuner's query behind each. */
    static final Map<QueueSignal, QueueFigure> FIGURES = new EnumMap<>(Map.ofEntries(
            Map.entry(QueueSignal.PENDING, QueueFigure.PENDING_SAMPLES),
            Map.entry(QueueSignal.LAG, QueueFigure.LAG_SECONDS),
            Map.entry(QueueSignal.SHARDS, QueueFigure.SHARDS),
            Map.entry(QueueSignal.SHARDS_DESIRED, QueueFigure.SHARDS_DESIRED),
            Map.entry(QueueSignal.MIN_SHARDS, QueueFigure.SHARDS_MIN),
            Map.entry(QueueSignal.MAX_SHARDS, QueueFigure.SHARDS_MAX),
            Map.entry(QueueSignal.CAPACITY, QueueFigure.CAPACITY),
            Map.entry(QueueSignal.MAX_SAMPLES_PER_SEND, QueueFigure.MAX_SAMPLES_PER_SEND),
            Map.entry(QueueSignal.SAMPLES_IN, QueueFigure.SAMPLES_IN_RATE),
            Map.entry(QueueSignal.SAMPLES_OUT, QueueFigure.SAMPLES_OUT_RATE),
            Map.entry(QueueSignal.RETRIED, QueueFigure.RETRIED_RATE),
            Map.entry(QueueSignal.FAILED, QueueFigure.FAILED_RATE),
            Map.entry(QueueSignal.SEND_LATENCY, QueueFigure.SEND_LATENCY_SECONDS)));

    /** Thrown when the window holds more values than a replay may keep; the message says what to change. */
    static final class TooMuchData extends RuntimeException {
        TooMuchData(String message) {
            super(message, null, false, false);
        }
    }

    record Sources(String samplesQuery, String replicasQuery, QueueQueries queueQueries,
                   QueueObserver.ReceiverQueries receiverQueries, String namespaceLabel, String podLabel) {
    }

    private final Prometheus prometheus;
    private final Sources sources;
    private final Duration queryTimeout;
    private final long maxValues;
    int queries;

    ReplayReader(Prometheus prometheus, Sources sources, Duration queryTimeout, long maxValues) {
        this.prometheus = prometheus;
        this.sources = sources;
        this.queryTimeout = queryTimeout;
        this.maxValues = maxValues;
    }

    ReceiverHistory receivers(ReplayWindow window, ReplaySettings settings) {
        Duration resolution = settings.ruleResolution(window.step());
        Grid fine = Grid.aligned(window.from().minus(settings.longestRuleWindow()), window.to(), resolution);
        Map<String, double[]> byExpression = new HashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (PolicyRule rule : settings.receiverPolicy().rules()) {
            if (!byExpression.containsKey(rule.expression()) && !errors.containsKey(rule.expression())) {
                one(rule.expression(), fine, errors).ifPresent(v -> byExpression.put(rule.expression(), v));
            }
        }
        double[] samples = one(sources.samplesQuery(), fine, errors).orElseGet(fine::empty);
        double[] replicas = one(sources.replicasQuery(), fine, errors).orElseGet(fine::empty);
        return new ReceiverHistory(fine, byExpression, samples, replicas, errors);
    }

    /**
     * What the receivers' HPA reads, on the receiver side's fine grid: each served metric its spec names (a Pods
     * metric spread over the receivers: the agents' total as the served value sums it, failing queues left out; an
     * External metric: the total of the series in the receivers' namespace matching its selector, as the HPA sums
     * them), and the receivers' CPU and memory utilization when it scales on them. One range query per figure.
     */
    HpaFigures hpa(Grid fine, HpaSpec spec, HpaSources hpaSources) {
        Map<String, double[]> pods = new HashMap<>();
        Map<String, double[]> external = new HashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        double[] cpu = null;
        double[] memory = null;
        for (MetricSpec m : spec.metrics()) {
            String resource = m instanceof MetricSpec.Resource r ? r.name()
                    : m instanceof MetricSpec.ContainerResource c ? c.name() : null;
            if ("cpu".equals(resource) && cpu == null) {
                cpu = one(hpaSources.cpuQuery(), fine, errors).orElseGet(fine::empty);
            } else if ("memory".equals(resource) && memory == null) {
                memory = one(hpaSources.memoryQuery(), fine, errors).orElseGet(fine::empty);
            } else if (m instanceof MetricSpec.Pods p && !pods.containsKey(p.metricName())) {
                Optional<MetricRule> rule = hpaSources.served().stream().filter(r -> r.name().equals(p.metricName())
                        && r.servedAs(MetricKind.CUSTOM) && r.distributeToReceivers()).findFirst();
                if (rule.isEmpty()) {
                    errors.put(p.metricName(), "not a metric this service serves spread over the receivers"
                            + " (distribute-to-receivers): the replay cannot tell what each receiver reported");
                    continue;
                }
                if (p.selector().isPresent()) {
                    errors.put(p.metricName(), "the HPA's metric selector " + p.selector().get() + " is not applied:"
                            + " the replay reads the value served on the receivers without it");
                }
                LabelSelector agents = hpaSources.agents();
                pods.put(p.metricName(), total(EndpointFailure.withoutFailingQueues(rule.get().query()), fine, agents.requirements().stream()
                        .map(LabelSelector.Requirement::key).toList(), agents::matches, errors, p.metricName()));
            } else if (m instanceof MetricSpec.External x && !external.containsKey(x.metricName())) {
                Optional<MetricRule> rule = hpaSources.served().stream().filter(r -> r.name().equals(x.metricName())
                        && r.servedAs(MetricKind.EXTERNAL)).findFirst();
                if (rule.isEmpty()) {
                    errors.put(x.metricName(), "not an external metric this service serves");
                    continue;
                }
                LabelSelector selector = LabelSelector.parse(x.selector().map(Object::toString).orElse(""));
                List<String> keys = new ArrayList<>();
                keys.add(sources.namespaceLabel());
                selector.requirements().forEach(r -> keys.add(r.key()));
                String namespace = hpaSources.namespace();
                external.put(x.metricName(), total(rule.get().query(), fine, keys.stream().distinct().toList(),
                        l -> namespace.equals(l.get(sources.namespaceLabel())) && selector.matches(l), errors,
                        x.metricName()));
            }
        }
        return new HpaFigures(pods, external, cpu == null ? fine.empty() : cpu, memory == null ? fine.empty() : memory,
                errors);
    }

    /** Where the HPA's figures come from. */
    record HpaSources(List<MetricRule> served, LabelSelector agents, String namespace, String cpuQuery,
                      String memoryQuery) {
    }

    /** {@code sum by (keys) (query)}, the groups whose labels match summed point by point (NaN where none has data). */
    private double[] total(String query, Grid grid, List<String> keys, java.util.function.Predicate<Map<String, String>> keep,
                           Map<String, String> errors, String name) {
        String summed = keys.isEmpty() ? "sum(" + query + ")" : "sum by (" + String.join(", ", keys) + ") (" + query + ")";
        double[] out = grid.empty();
        for (RangeMatrix.Series s : chunks(summed, grid, errors, name)) {
            if (!keep.test(s.labels())) {
                continue;
            }
            long[] t = s.epochMillis();
            double[] v = s.values();
            for (int i = 0; i < t.length; i++) {
                int k = grid.exactly(t[i]);
                if (k >= 0 && !Double.isNaN(v[i])) {
                    out[k] = Double.isNaN(out[k]) ? v[i] : out[k] + v[i];
                }
            }
        }
        return out;
    }

    /** The shard side; {@code historySteps} steps of shards_desired before the window for the p99. */
    io.rwautoscaler.core.replay.ShardHistory shards(ReplayWindow window, int historySteps) {
        Grid steps = Grid.of(window);
        Grid history = new Grid(window.from().minus(window.step().multipliedBy(historySteps)).toEpochMilli(),
                window.step().toMillis(), steps.size() + historySteps);
        Map<String, String> errors = new LinkedHashMap<>();
        Map<QueueSeries, float[][]> figures = new TreeMap<>();
        Map<QueueSeries, float[]> desiredHistory = new HashMap<>();
        Map<QueueSeries, float[][]> perPod = new HashMap<>();

        Map<QueueSeries, double[]> desired = many(sources.queueQueries().of(QueueFigure.SHARDS_DESIRED), history, errors,
                "shards_desired");
        checkSize(desired.size(), steps.size(), historySteps);
        for (Map.Entry<QueueSeries, double[]> e : desired.entrySet()) {
            float[] h = floats(e.getValue(), 0, history.size());
            desiredHistory.put(e.getKey(), h);
        }
        for (Map.Entry<QueueSignal, QueueFigure> f : FIGURES.entrySet()) {
            Map<QueueSeries, double[]> series = f.getKey() == QueueSignal.SHARDS_DESIRED ? null
                    : many(sources.queueQueries().of(f.getValue()), steps, errors, f.getValue().name().toLowerCase(java.util.Locale.ROOT));
            if (series == null) {
                for (Map.Entry<QueueSeries, float[]> e : desiredHistory.entrySet()) {
                    float[] suffix = java.util.Arrays.copyOfRange(e.getValue(), historySteps, history.size());
                    arrays(e.getKey(), figures, perPod, steps.size())[f.getKey().ordinal()] = suffix;
                }
                continue;
            }
            for (Map.Entry<QueueSeries, double[]> e : series.entrySet()) {
                arrays(e.getKey(), figures, perPod, steps.size())[f.getKey().ordinal()] = floats(e.getValue(), 0, steps.size());
            }
            checkSize(figures.size(), steps.size(), historySteps);
        }
        // Per-pod figures (Prometheus 2.x's samples read from the WAL): onto the pod's queues, as live does.
        for (Map.Entry<QueueSeries, float[][]> e : figures.entrySet()) {
            QueueSeries s = e.getKey();
            for (QueueSeries podKey : List.of(new QueueSeries(s.namespace(), s.pod(), s.remoteName(), ""),
                    new QueueSeries(s.namespace(), s.pod(), "", ""))) {
                float[][] pod = perPod.get(podKey);
                if (pod != null) {
                    for (int f = 0; f < pod.length; f++) {
                        if (e.getValue()[f] == null && pod[f] != null) {
                            e.getValue()[f] = pod[f];
                        }
                    }
                }
            }
        }
        float[] none = new float[steps.size()];
        java.util.Arrays.fill(none, Float.NaN);
        float[] noHistory = new float[history.size()];
        java.util.Arrays.fill(noHistory, Float.NaN);
        List<QueueHistory> queues = new ArrayList<>(figures.size());
        for (Map.Entry<QueueSeries, float[][]> e : figures.entrySet()) {
            float[][] a = e.getValue();
            for (int f = 0; f < a.length; f++) {
                a[f] = a[f] == null ? none : a[f];
            }
            queues.add(new QueueHistory(e.getKey(), a, desiredHistory.getOrDefault(e.getKey(), noHistory)));
        }
        QueueObserver.ReceiverQueries r = sources.receiverQueries();
        double[] e5xx = health(r.errors5xx(), steps, errors);
        double[] e429 = health(r.throttled429(), steps, errors);
        double[] p99 = health(r.p99Latency(), steps, errors);
        double[] cpu = health(r.cpuUtilization(), steps, errors);
        return new io.rwautoscaler.core.replay.ShardHistory(queues, historySteps, e5xx, e429, p99, cpu, errors);
    }

    private void checkSize(int queues, int steps, int historySteps) {
        long values = (long) queues * (QueueSignal.values().length * (long) steps + historySteps);
        if (values > maxValues) {
            throw new TooMuchData(queues + " remote-write queues over " + steps + " steps make " + values
                    + " values, more than autoscaler.replay.max-values (" + maxValues + "): use a coarser step or a"
                    + " shorter window, or raise the limit (4 bytes of heap per value)");
        }
    }

    private float[][] arrays(QueueSeries key, Map<QueueSeries, float[][]> queues, Map<QueueSeries, float[][]> perPod,
                             int size) {
        Map<QueueSeries, float[][]> target = key.url().isEmpty() ? perPod : queues;
        return target.computeIfAbsent(key, k -> new float[QueueSignal.values().length][]);
    }

    private double[] health(Optional<String> query, Grid grid, Map<String, String> errors) {
        if (query.isEmpty()) {
            return grid.empty();
        }
        // Several series (one per receiver): the worst counts, as live takes the max.
        Map<String, double[]> all = fetch(query.get(), grid, errors, query.get());
        double[] out = grid.empty();
        for (double[] v : all.values()) {
            for (int i = 0; i < v.length; i++) {
                if (!Double.isNaN(v[i]) && (Double.isNaN(out[i]) || v[i] > out[i])) {
                    out[i] = v[i];
                }
            }
        }
        return out;
    }

    /** A query that must return one series (a rule, samples/s, replicas); empty when it did not. */
    private Optional<double[]> one(String query, Grid grid, Map<String, String> errors) {
        Map<String, double[]> series = fetch(query, grid, errors, query);
        if (series.isEmpty()) {
            errors.putIfAbsent(query, "no data: " + query + " returned no series in the window");
            return Optional.empty();
        }
        if (series.size() > 1) {
            errors.put(query, query + " returned " + series.size() + " series; it needs one value: aggregate it"
                    + " (max(...), avg(...), sum(...))");
            return Optional.empty();
        }
        return Optional.of(series.values().iterator().next());
    }

    private Map<QueueSeries, double[]> many(String query, Grid grid, Map<String, String> errors, String name) {
        Map<QueueSeries, double[]> out = new HashMap<>();
        for (RangeMatrix.Series s : chunks(query, grid, errors, name)) {
            Map<String, String> l = s.labels();
            QueueSeries key = new QueueSeries(l.get(sources.namespaceLabel()), l.get(sources.podLabel()),
                    l.get("remote_name"), l.get("url"));
            place(out.computeIfAbsent(key, k -> grid.empty()), grid, s);
        }
        return out;
    }

    private Map<String, double[]> fetch(String query, Grid grid, Map<String, String> errors, String name) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (RangeMatrix.Series s : chunks(query, grid, errors, name)) {
            place(out.computeIfAbsent(new TreeMap<>(s.labels()).toString(), k -> grid.empty()), grid, s);
        }
        return out;
    }

    /** Every chunk's series; a chunk Prometheus refuses is named in {@code errors} and left out (no data). */
    private List<RangeMatrix.Series> chunks(String query, Grid grid, Map<String, String> errors, String name) {
        List<RangeMatrix.Series> all = new ArrayList<>();
        int per = ReplayWindow.MAX_POINTS;
        for (int first = 0; first < grid.size(); first += per) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("replay stopped while reading " + name);
            }
            int last = Math.min(grid.size(), first + per) - 1;
            Instant start = grid.instant(first);
            Instant end = grid.instant(last);
            queries++;
            try {
                all.addAll(prometheus.queryRangeMatrix(query, start, end, grid.step(), queryTimeout).series());
            } catch (PrometheusException e) {
                if (e.reason() == PrometheusException.Reason.UNREACHABLE) {
                    throw e;
                }
                errors.merge(name, start + " to " + end + ": " + e.getMessage(), (a, b) -> a + "; " + b);
            }
        }
        return all;
    }

    private static void place(double[] target, Grid grid, RangeMatrix.Series s) {
        long[] t = s.epochMillis();
        double[] v = s.values();
        for (int i = 0; i < t.length; i++) {
            int k = grid.exactly(t[i]);
            if (k >= 0) {
                target[k] = v[i];
            }
        }
    }

    private static float[] floats(double[] values, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = (float) values[i];
        }
        return out;
    }
}
