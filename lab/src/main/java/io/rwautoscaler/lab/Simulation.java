package io.rwautoscaler.lab;

import io.rwautoscaler.core.metrics.BuiltinRules;
import io.rwautoscaler.core.metrics.CustomMetricQuery;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.metrics.MetricData;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.ObjectValue;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.model.Sample;
import io.rwautoscaler.core.receivers.Hashring;
import io.rwautoscaler.core.receivers.HashringLayout;
import io.rwautoscaler.core.receivers.PolicyRule;
import io.rwautoscaler.core.receivers.ReceiverCapacity;
import io.rwautoscaler.core.receivers.ReceiverFleet;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.ReceiverRecommendation;
import io.rwautoscaler.core.receivers.ReplicaBounds;
import io.rwautoscaler.core.receivers.RuleAction;
import io.rwautoscaler.core.receivers.RuleEvaluation;
import io.rwautoscaler.core.receivers.RuleHoldHistory;
import io.rwautoscaler.core.receivers.RuleObservation;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.core.receivers.ScalingDecision;
import io.rwautoscaler.core.receivers.UtilizationBand;
import io.rwautoscaler.core.receivers.WindowProof;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueId;
import io.rwautoscaler.core.shards.QueueInput;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.ReceiverHealth;
import io.rwautoscaler.core.shards.ShardCycle;
import io.rwautoscaler.core.shards.ShardCycleResult;
import io.rwautoscaler.core.shards.ShardDecision;
import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.core.shards.TunerState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One run of one scenario under one strategy: the models advance in 1 s ticks, and the product's own decision code
 * ({@code core.metrics} for the served queue metric, {@code core.shards} for the shard tuner, {@code core.receivers}
 * for the policy and the hashring) and the HPA ({@link ReplicaController}) act at their own periods on what the
 * scraping Prometheus saw. A run starts with a one-hour warm-up at the first load point, so every window the
 * deciders prove has data; time 0 is the end of the warm-up.
 */
public final class Simulation {

    public static final double DT = 1.0;
    /** Warm-up before time 0: an hour when the receiver policy decides (its longest window is 1h), else 20 minutes. */
    public static final double WARMUP_SECONDS = 3600;
    static final double SHORT_WARMUP_SECONDS = 1200;
    /** Series points kept for charts and JSON: one every this many seconds. */
    public static final int RECORD_EVERY = 10;
    /** The scenario's epoch: time 0 of the scenario as an Instant, for the product's code. */
    public static final Instant EPOCH = Instant.parse("2026-01-05T00:00:00Z");
    /** Config reload after a shard tuner patch: operator reconcile plus config-reloader. */
    public static final double AGENT_CONFIG_RELOAD_SECONDS = 30;
    /** p99 of an exponential response time = mean × ln(100) (an M/M/1 queue's sojourn time). */
    static final double P99_OVER_MEAN = Math.log(100);

    private static final String NS = "monitoring";
    private static final HashringLayout LAYOUT = HashringLayout.of("thanos-receive", NS, "thanos-receive");

    /** What a strategy switches on. */
    public record Settings(Strategy strategy, Optional<io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec> hpa,
                           boolean shardTunerApply, boolean manual, boolean rollOnChange, Optional<Duration> samplesInRule,
                           boolean parallelPods) {
        public Settings(Strategy strategy, Optional<io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec> hpa,
                        boolean shardTunerApply, boolean manual, boolean rollOnChange, Optional<Duration> samplesInRule) {
            this(strategy, hpa, shardTunerApply, manual, rollOnChange, samplesInRule, false);
        }

        public Settings(Strategy strategy, Optional<io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec> hpa,
                        boolean shardTunerApply, boolean manual, boolean rollOnChange) {
            this(strategy, hpa, shardTunerApply, manual, rollOnChange, Optional.empty(), false);
        }
    }

    /**
     * A served metric the lab can recommend besides the built-in ones: the samples/s the agents append, spread over
     * the ready receivers ({@code distribute-to-receivers}), so that an HPA AverageValue of (capacity × target
     * utilization) asks for exactly the receivers the load needs. Configured in the product as a rule (see
     * {@link #samplesInRuleConfig}).
     */
    public static final String SAMPLES_IN_METRIC = "remote_write_samples_in_per_second";

    /** The product configuration of the rule; a zero window is irate over the last two scrapes (range 2m). */
    public static String samplesInRuleConfig(Duration window) {
        String key = "autoscaler.metrics.rules.\"" + SAMPLES_IN_METRIC + "\"";
        String range = io.rwautoscaler.core.model.PromDuration.format(window.isZero() ? Duration.ofMinutes(2) : window);
        return key + ".query=sum by (namespace, pod) (" + (window.isZero() ? "irate" : "rate")
                + "(prometheus_remote_storage_samples_in_total{<<.Matchers>>}[" + range + "]))\n"
                + key + ".distribute-to-receivers=true\n"
                + (window.isZero() ? "" : key + ".window=" + range + "\n");
    }

    /** One recorded point. */
    public record Point(double t, double load, double pending, double pendingMax, double lag, int replicas,
                        int readyReplicas, int hashringMembers, double utilization, int shards, double lost,
                        double refusedPerSecond, double desiredShards, double storedPerSecond, double lagMean) {
    }

    /** A scale change and why. */
    public record Event(double t, String what) {
    }

    /** Everything a run produced. */
    /**
     * @param capacityCeiling samples/s the receivers can take at the most replicas the strategy may ask for
     * @param peakLoad        the highest load of the scenario
     */
    public record Run(Settings settings, List<Point> points, List<Event> events, double lost, double lostFromWal,
                      double lostOnFlush, int reshards, int agentRestarts, int hashringChanges, double podSeconds,
                      List<double[]> replicaChanges, Phases phases, double capacityCeiling, double peakLoad) {
    }

    /**
     * When things happened after the load change, to tell which delay dominated: the first scale decision, the
     * decision that brought enough capacity, when its pods were ready, and when the hashring that used them reached
     * every receiver.
     */
    public record Phases(double loadChange, double firstDecision, double sufficientDecision, double sufficientReady,
                         double sufficientIngesting) {
    }

    private final Scenario scenario;
    private final Settings settings;
    private final ReplicaController hpaController;
    private final double warmup;
    private int recordEvery = RECORD_EVERY;

    private final List<RemoteWriteQueue> agents = new ArrayList<>();
    private final List<Scenario.QueueSettings> agentConfigs = new ArrayList<>();
    private final List<double[]> pendingReload = new ArrayList<>(); // {agent, at} with agentConfigs holding the target
    private final ReceiveCluster cluster;
    private final SeriesStore store = new SeriesStore();
    private final ReceiverPolicy policy;
    private final ShardPolicy shardPolicy = ShardPolicy.defaults();
    private TunerState tunerState = TunerState.empty();
    private final Map<String, String> tunerStates = new HashMap<>();
    private RuleHoldHistory holdHistory = RuleHoldHistory.empty();
    private Snapshot snapshot;
    private final MetricRule queueRule;
    private final Optional<MetricRule> samplesInRule;

    private final Map<String, double[]> cpuAcc = new HashMap<>();   // pod → {sum utilization, ticks}
    private final Map<String, HpaInputs.Sampled> cpuSample = new HashMap<>();
    private final Map<String, HpaInputs.Sampled> memSample = new HashMap<>();

    private final List<Point> points = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<double[]> replicaChanges = new ArrayList<>(); // {t, from, to}
    private double podSeconds;
    private double shardsDesiredBaseline = Double.NaN;

    // manual operator
    private double manualSeenAt = Double.NaN;
    private boolean manualHashringDue;

    // phases
    private double firstDecision = Double.NaN;
    private double lastUpDecision = Double.NaN;
    private final Map<Integer, Double> decisionForReplicas = new HashMap<>();
    private double sufficientSince = Double.NaN;
    private double sufficientDecision = Double.NaN;
    private double sufficientReady = Double.NaN;

    public Simulation(Scenario scenario, Settings settings, Function<io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec, ReplicaController> hpaFactory) {
        this.scenario = scenario;
        this.settings = settings;
        this.hpaController = settings.hpa().map(hpaFactory).orElse(null);
        this.warmup = settings.manual() ? WARMUP_SECONDS : SHORT_WARMUP_SECONDS;
        Scenario.Receivers r = scenario.receivers().withRollOnChange(settings.rollOnChange())
                .withParallelPods(scenario.receivers().parallelPods() || settings.parallelPods());
        this.cluster = new ReceiveCluster(r, scenario.seed());
        int max = settings.hpa().map(h -> h.getMaxReplicas()).orElse(ReplicaBounds.RUNBOOK.max());
        int min = settings.hpa().map(HpaSpecs::minReplicas).orElse(ReplicaBounds.RUNBOOK.min());
        this.policy = new ReceiverPolicy(RunbookRules.all(), new ReplicaBounds(Math.min(min, max), max),
                new ReceiverCapacity(r.samplesPerSecondPerReplica(), UtilizationBand.RUNBOOK),
                WindowProof.DEFAULT_STEP);
        for (int i = 0; i < scenario.agents().count(); i++) {
            agents.add(new RemoteWriteQueue(scenario.agents().queueConfig(),
                    scenario.agents().walRetention().toSeconds(), -warmup, seconds(r.sendLatency()),
                    scenario.agents().reshardDuringBackoff()));
            agentConfigs.add(scenario.agents().queueConfig());
        }
        BuiltinRules.Definition def = BuiltinRules.all().stream()
                .filter(d -> d.name().equals(BuiltinRules.QUEUE_LENGTH)).findFirst().orElseThrow();
        this.queueRule = new MetricRule(def.name(), def.query(), def.timestampQuery(), def.kinds(), def.aggregation(),
                def.window(), def.distributeToReceivers(), def.description());
        this.samplesInRule = settings.samplesInRule().map(w -> new MetricRule(SAMPLES_IN_METRIC,
                "sum by (namespace, pod) (rate(prometheus_remote_storage_samples_in_total[" + w.toSeconds() + "s]))",
                Optional.empty(), java.util.Set.of(io.rwautoscaler.core.model.MetricKind.CUSTOM),
                io.rwautoscaler.core.model.Aggregation.SUM, w, true, "samples/s appended by the agents"));
    }

    /** Records a point every {@code seconds} instead of {@link #RECORD_EVERY} (the calibration compares per second). */
    public Simulation recordingEvery(int seconds) {
        this.recordEvery = Math.max(1, seconds);
        return this;
    }

    public Run run() {
        Scenario.Observation o = scenario.observation();
        double end = scenario.duration().toSeconds();
        double t0 = scenario.load().firstChangeSeconds();
        for (double t = -warmup; t <= end; t += DT) {
            double load = scenario.load().at(Math.max(0, t));
            cluster.reconcile(t);
            double offered = 0;
            for (RemoteWriteQueue q : agents) {
                q.append(t, load / agents.size() * DT);
                offered += q.offer(DT);
            }
            double accepted = cluster.ingest(t, offered, DT);
            for (RemoteWriteQueue q : agents) {
                q.settle(t, DT, accepted, cluster.latency());
            }
            accumulateResources(t);
            applyDueAgentReloads(t);

            if (every(t, o.scrapeInterval())) {
                scrape(t);
            }
            if (every(t, o.resourceResolution())) {
                sampleResources(t);
            }
            if (every(t, o.refresh())) {
                refreshSnapshot(t);
            }
            if (settings.manual()) {
                if (every(t, o.policyEvery())) {
                    manualOperator(t);
                }
                manualHashring(t);
            } else if (every(t, o.hashringEvery())) {
                hashringSync(t);
            }
            if (hpaController != null && every(t, o.hpaSync())) {
                hpaSync(t);
            }
            if (settings.shardTunerApply() && every(t, o.shardTunerEvery())) {
                shardTuner(t);
            }
            if (t >= 0) {
                podSeconds += cluster.pods().size() * DT;
                trackSufficiency(t, load, t0);
                if (((long) t) % recordEvery == 0) {
                    record(t, load);
                }
            }
        }
        double lost = 0;
        double lostWal = 0;
        double lostFlush = 0;
        int reshards = 0;
        int restarts = 0;
        for (RemoteWriteQueue q : agents) {
            lost += q.lost();
            lostWal += q.lostFromWal();
            lostFlush += q.lostOnFlush();
            reshards += q.reshards();
            restarts += q.restarts();
        }
        return new Run(settings, points, events, lost, lostWal, lostFlush, reshards, restarts,
                cluster.hashringChanges(), podSeconds, replicaChanges,
                new Phases(t0, firstDecision, sufficientDecision, sufficientReady, sufficientSince),
                policy.bounds().max() * cluster.config().samplesPerSecondPerReplica(),
                scenario.load().points().stream().mapToDouble(LoadCurve.Point::samplesPerSecond).max().orElse(0));
    }

    private static boolean every(double t, Duration period) {
        long p = Math.max(1, period.toSeconds());
        return Math.floorMod((long) Math.floor(t), p) == 0;
    }

    // ---- observation

    private static final String[] AGENT_PODS = java.util.stream.IntStream.range(0, 64)
            .mapToObj(i -> "prometheus-agent-" + i).toArray(String[]::new);

    private String agentPod(int i) {
        return i < AGENT_PODS.length ? AGENT_PODS[i] : "prometheus-agent-" + i;
    }

    private void scrape(double t) {
        double pendingMax = 0;
        for (int i = 0; i < agents.size(); i++) {
            RemoteWriteQueue q = agents.get(i);
            String p = agentPod(i) + ":";
            store.add(p + "pending", t, q.pending());
            store.add(p + "lag", t, q.lagSeconds());
            store.add(p + "shards", t, q.shards());
            store.add(p + "desired", t, q.desiredShards());
            store.add(p + "min", t, q.config().minShards());
            store.add(p + "max", t, q.config().maxShards());
            store.add(p + "in_total", t, q.inTotal());
            store.add(p + "out_total", t, q.sentTotal());
            store.add(p + "retried_total", t, q.retriedTotal());
            store.add(p + "latency", t, q.sendLatency());
            pendingMax = Math.max(pendingMax, q.pending());
        }
        store.add("agent_pending_max", t, pendingMax);
        List<ReceiveCluster.Pod> ready = cluster.readyPods(t);
        double cpu = 0;
        double mem = 0;
        for (ReceiveCluster.Pod p : ready) {
            cpu += cluster.cpuCores(p) / cluster.config().cpuRequestCores();
            mem = Math.max(mem, cluster.memoryBytes(p) / (2.0 * cluster.config().memoryRequestBytes()));
        }
        if (!ready.isEmpty()) {
            store.add("receiver_cpu_avg", t, cpu / ready.size());
            store.add("receiver_memory_max", t, mem);
        }
        store.add("receiver_volume_max", t, 0.3);
        store.add("receiver_p99", t, cluster.latency() * P99_OVER_MEAN);
        store.add("receiver_5xx_requests_total", t, cumulative5xx);
        store.add("samples_in_total", t, agents.stream().mapToDouble(RemoteWriteQueue::inTotal).sum());
    }

    private double cumulative5xx;

    private void accumulateResources(double t) {
        cumulative5xx += cluster.refusedSamplesPerSecond(DT) * DT / scenario.agents().queueConfig().maxSamplesPerSend();
        for (ReceiveCluster.Pod p : cluster.pods()) {
            double[] acc = cpuAcc.computeIfAbsent(p.name(), k -> new double[3]);
            acc[0] += cluster.cpuCores(p);
            acc[1] += cluster.memoryBytes(p);
            acc[2]++;
        }
    }

    /** metrics-server: the mean over its resolution window, for running pods. */
    private void sampleResources(double t) {
        cpuSample.clear();
        memSample.clear();
        double window = scenario.observation().resourceResolution().toSeconds();
        for (ReceiveCluster.Pod p : cluster.pods()) {
            double[] acc = cpuAcc.get(p.name());
            if (acc == null || acc[2] == 0 || t < p.createdAt() + 1) {
                continue;
            }
            cpuSample.put(p.name(), new HpaInputs.Sampled(acc[0] / acc[2] * 1000, t, window));
            memSample.put(p.name(), new HpaInputs.Sampled(acc[1] / acc[2] * 1000, t, window));
        }
        cpuAcc.clear();
    }

    /** The product's snapshot refresh: the queue length rule's data as the scraping Prometheus has it. */
    private void refreshSnapshot(double t) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            double v = store.last(agentPod(i) + ":pending", t);
            if (Double.isNaN(v)) {
                continue;
            }
            double ts = store.lastTime(agentPod(i) + ":pending", t);
            samples.add(new Sample(Map.of("namespace", NS, "pod", agentPod(i), "app", "prometheus-agent",
                    "remote_name", "thanos", "url", "http://thanos-receive-lb:19291/api/v1/receive"), v, instant(ts)));
        }
        List<PodInfo> pods = new ArrayList<>();
        for (ReceiveCluster.Pod p : cluster.pods()) {
            pods.add(new PodInfo(NS, p.name(), Map.of("app", "thanos-receive"), p.ready(t)));
        }
        for (int i = 0; i < agents.size(); i++) {
            pods.add(new PodInfo(NS, agentPod(i), Map.of("app", "prometheus-agent"), true));
        }
        Map<String, MetricData> data = new HashMap<>();
        data.put(queueRule.name(), new MetricData(queueRule, samples, instant(t)));
        List<MetricRule> rules = new ArrayList<>(List.of(queueRule));
        samplesInRule.ifPresent(rule -> {
            List<Sample> rates = new ArrayList<>();
            for (int i = 0; i < agents.size(); i++) {
                String series = agentPod(i) + ":in_total";
                double v = rule.window().isZero()
                        ? store.rate(series, store.lastTime(series, store.lastTime(series, t) - 1e-6), t) // irate
                        : store.rate(series, t - rule.window().toSeconds(), t);
                if (!Double.isNaN(v)) {
                    rates.add(new Sample(Map.of("namespace", NS, "pod", agentPod(i), "app", "prometheus-agent"), v,
                            instant(store.lastTime(agentPod(i) + ":in_total", t))));
                }
            }
            data.put(rule.name(), new MetricData(rule, rates, instant(t)));
            rules.add(rule);
        });
        snapshot = new Snapshot(instant(t), rules, data, Map.of(), pods, ObjectLabels.DEFAULT);
    }

    /** What the HPA gets from custom.metrics.k8s.io for pods/* with the receivers' selector. */
    private Map<String, HpaInputs.Sampled> served(String metric, double t) {
        Map<String, HpaInputs.Sampled> out = new LinkedHashMap<>();
        if (snapshot == null) {
            return out;
        }
        try {
            List<ObjectValue> values = snapshot.custom(new CustomMetricQuery(ResourceKind.PODS, NS, CustomMetricQuery.ALL,
                    metric, LabelSelector.parse("app=thanos-receive"), LabelSelector.parse("")),
                    ReceiverFeed.DEFAULT, instant(t), Duration.ofMinutes(2));
            for (ObjectValue v : values) {
                double ts = v.timestamp() == null ? t : (v.timestamp().toEpochMilli() - EPOCH.toEpochMilli()) / 1000.0;
                out.put(v.object().name(), new HpaInputs.Sampled(v.value(), ts, 0));
            }
        } catch (LookupException e) {
            // served as an error: the HPA sees the metric as unavailable
        }
        return out;
    }

    // ---- deciders

    private void hpaSync(double t) {
        List<HpaInputs.PodView> views = new ArrayList<>();
        Scenario.Receivers r = cluster.config();
        for (ReceiveCluster.Pod p : cluster.pods()) {
            double since = p.ready(t) ? Math.max(p.readyAt, -2 * WARMUP_SECONDS) : Double.NaN;
            views.add(new HpaInputs.PodView(p.name(), Math.max(p.createdAt(), -2 * WARMUP_SECONDS), since,
                    Math.round(r.cpuRequestCores() * 1000), r.memoryRequestBytes() * 1000));
        }
        Map<String, Map<String, HpaInputs.Sampled>> podsMetrics = new HashMap<>();
        podsMetrics.put(BuiltinRules.QUEUE_LENGTH, served(BuiltinRules.QUEUE_LENGTH, t));
        samplesInRule.ifPresent(rule -> podsMetrics.put(rule.name(), served(rule.name(), t)));
        int current = cluster.specReplicas();
        int desired = hpaController.sync(new HpaInputs(t, current, cluster.pods().size(), views,
                Map.copyOf(cpuSample), Map.copyOf(memSample), podsMetrics));
        if (desired != current) {
            scaleTo(t, desired, "HPA: " + hpaController.lastReason());
        }
    }

    private void scaleTo(double t, int replicas, String why) {
        int from = cluster.specReplicas();
        cluster.scale(replicas);
        if (t >= 0) {
            replicaChanges.add(new double[] {t, from, replicas});
            events.add(new Event(t, "replicas " + from + " → " + replicas + ": " + why));
        }
        if (t >= scenario.load().firstChangeSeconds()) {
            if (Double.isNaN(firstDecision) && replicas > from) {
                firstDecision = t;
            }
            if (replicas > from) {
                lastUpDecision = t;
                decisionForReplicas.put(replicas, t);
            }
        }
    }

    /** The product's hashring sync (core.receivers.Hashring): ready pods, written when membership differs. */
    private void hashringSync(double t) {
        if (cluster.rolling()) {
            return; // the loop holds the hashring while its roll runs
        }
        List<PodInfo> pods = new ArrayList<>();
        for (ReceiveCluster.Pod p : cluster.pods()) {
            pods.add(new PodInfo(NS, p.name(), Map.of("app", "thanos-receive"), p.ready(t)));
        }
        Hashring desired = Hashring.desired(LAYOUT, pods);
        if (!desired.servesEveryHashring()) {
            return; // no ready pod: the old hashring is kept
        }
        List<PodInfo> current = new ArrayList<>();
        for (int m : cluster.hashringMembers()) {
            current.add(new PodInfo(NS, "thanos-receive-" + m, Map.of(), true));
        }
        if (desired.sameMembership(Hashring.desired(LAYOUT, current))) {
            return;
        }
        List<Integer> members = new ArrayList<>();
        for (PodInfo p : pods) {
            if (p.ready()) {
                members.add(Integer.parseInt(p.name().substring("thanos-receive-".length())));
            }
        }
        int before = cluster.hashringMembers().size();
        cluster.writeHashring(t, members, settings.rollOnChange());
        if (t >= 0) {
            events.add(new Event(t, "hashring " + before + " → " + members.size() + " endpoints ("
                    + Math.round(100 * ReceiveCluster.movedFraction(cluster.config().hashringAlgorithm(), before,
                    members.size())) + "% of series move)" + (settings.rollOnChange() ? ", receivers rolled" : "")));
        }
    }

    /** Figures for the receiver policy's rules, proven over their windows from the scraped series. */
    private Map<String, RuleObservation> ruleObservations(double t) {
        Map<String, String> seriesOf = Map.of(
                RunbookRules.AGENT_QUEUE_HIGH, "agent_pending_max",
                RunbookRules.AGENT_QUEUE_EMPTY, "agent_pending_max",
                RunbookRules.RECEIVER_CPU_HIGH, "receiver_cpu_avg",
                RunbookRules.RECEIVER_CPU_LOW, "receiver_cpu_avg",
                RunbookRules.RECEIVER_MEMORY_HIGH, "receiver_memory_max",
                RunbookRules.RECEIVER_MEMORY_LOW, "receiver_memory_max",
                RunbookRules.RECEIVER_VOLUME_HIGH, "receiver_volume_max",
                RunbookRules.RECEIVER_LATENCY_HIGH, "receiver_p99");
        Map<String, RuleObservation> out = new HashMap<>();
        for (PolicyRule rule : policy.rules()) {
            String series = seriesOf.get(rule.name());
            if (series == null) {
                continue;
            }
            double from = t - rule.forDuration().toSeconds();
            List<Double> window = store.window(series, from, t);
            double covered = store.lastTime(series, from + scenario.observation().scrapeInterval().toSeconds());
            OptionalDouble instant = OptionalDouble.empty();
            double last = store.last(series, t);
            if (!Double.isNaN(last)) {
                instant = OptionalDouble.of(last);
            }
            if (window.isEmpty() || Double.isNaN(covered)) {
                out.put(rule.name(), new RuleObservation(OptionalDouble.empty(), instant));
                continue;
            }
            double min = window.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = window.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            out.put(rule.name(), new RuleObservation(policy.proof(rule).provenValue(OptionalDouble.of(min),
                    OptionalDouble.of(max)), instant));
        }
        return out;
    }

    /**
     * The {@code manual-runbook} operator: reads the product's receiver policy report (recommend mode) and, the
     * reaction time after a replica recommendation first shows, scales the StatefulSet to what it then recommends;
     * once the new pods are ready, writes the hashring and rolls the receivers, as the runbook says.
     */
    private void manualOperator(double t) {
        RuleEvaluation evaluation = RuleEvaluation.evaluate(policy, ruleObservations(t), holdHistory, instant(t));
        holdHistory = evaluation.history();
        double sps = store.rate("samples_in_total", t - 300, t);
        ScalingDecision decision = ScalingDecision.decide(policy, evaluation,
                new ReceiverFleet(cluster.specReplicas(), false, Double.isNaN(sps) ? OptionalDouble.empty()
                        : OptionalDouble.of(sps)));
        Optional<ReceiverRecommendation> rec = decision.recommendation(RuleAction.ADD_RECEIVERS)
                .or(() -> decision.recommendation(RuleAction.REMOVE_RECEIVERS));
        OptionalInt target = rec.map(ReceiverRecommendation::recommendedReplicas).orElse(OptionalInt.empty());
        if (target.isEmpty() || target.getAsInt() == cluster.specReplicas()) {
            manualSeenAt = Double.NaN;
            return;
        }
        if (Double.isNaN(manualSeenAt)) {
            manualSeenAt = t;
            if (t >= 0) {
                events.add(new Event(t, "receiver policy recommends " + cluster.specReplicas() + " → "
                        + target.getAsInt() + " (" + String.join(", ", rec.get().firedBy()) + "); operator acts in "
                        + scenario.manual().reaction().toMinutes() + "m"));
            }
            return;
        }
        if (t - manualSeenAt >= scenario.manual().reaction().toSeconds()) {
            scaleTo(t, target.getAsInt(), "operator, on the receiver policy: " + rec.get().reason());
            manualSeenAt = Double.NaN;
            manualHashringDue = true;
        }
    }

    private void manualHashring(double t) {
        if (!manualHashringDue || cluster.pods().size() != cluster.specReplicas()
                || cluster.pods().stream().anyMatch(p -> !p.ready(t)) || cluster.rolling()) {
            return;
        }
        manualHashringDue = false;
        List<Integer> members = cluster.pods().stream().map(ReceiveCluster.Pod::ordinal).toList();
        int before = cluster.hashringMembers().size();
        cluster.writeHashring(t, members, true);
        events.add(new Event(t, "operator: hashring " + before + " → " + members.size()
                + " endpoints, rolling restart of the receivers"));
    }

    /** The product's shard tuner in apply mode (core.shards.ShardCycle) on what Prometheus scraped. */
    private void shardTuner(double t) {
        List<QueueInput> inputs = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            inputs.add(new QueueInput(queueId(i), queueConfig(agentConfigs.get(i)), observation(i, t), receiverHealth(t)));
        }
        ShardCycleResult result = ShardCycle.run(inputs, tunerState, shardPolicy, instant(t));
        tunerState = result.nextState();
        for (ShardDecision d : result.decisions()) {
            String state = d.state().toString();
            if (!state.equals(tunerStates.put(d.queue().pod(), state)) && t >= 0) {
                events.add(new Event(t, "shard tuner: " + d.queue().pod() + " " + state + ": " + d.reason()));
            }
        }
        for (ShardDecision d : result.toApply()) {
            int i = Integer.parseInt(d.queue().pod().substring("prometheus-agent-".length()));
            QueueConfig next = d.recommended();
            Scenario.QueueSettings s = agentConfigs.get(i).withBounds(next.effectiveMinShards(),
                    next.effectiveMaxShards(), next.effectiveCapacity(), next.effectiveMaxSamplesPerSend());
            agentConfigs.set(i, s);
            pendingReload.add(new double[] {i, t + AGENT_CONFIG_RELOAD_SECONDS});
            if (t >= 0) {
                events.add(new Event(t, "shard tuner: " + agentPod(i) + " " + d.current().changesTo(next)));
            }
        }
    }

    private void applyDueAgentReloads(double t) {
        pendingReload.removeIf(r -> {
            if (t >= r[1]) {
                int i = (int) r[0];
                agents.get(i).reconfigure(t, agentConfigs.get(i));
                return true;
            }
            return false;
        });
    }

    private QueueId queueId(int i) {
        return new QueueId(NS, "prometheus-agent", agentPod(i), "thanos", "http://thanos-receive-lb:19291/api/v1/receive");
    }

    private static QueueConfig queueConfig(Scenario.QueueSettings s) {
        return QueueConfig.of(s.minShards(), s.maxShards(), s.capacity(), s.maxSamplesPerSend());
    }

    private QueueObservation observation(int i, double t) {
        String p = agentPod(i) + ":";
        double rateWindow = 300;
        long threshold = shardPolicy.triggers().queueThresholdSamples();
        double desired = store.last(p + "desired", t);
        if (Double.isNaN(shardsDesiredBaseline) && t >= 0) {
            shardsDesiredBaseline = desired;
        }
        return new QueueObservation(
                opt(store.last(p + "pending", t)),
                opt(store.last(p + "lag", t)),
                opt(store.last(p + "shards", t)),
                opt(desired),
                optInt(store.last(p + "min", t)),
                optInt(store.last(p + "max", t)),
                opt(store.rate(p + "in_total", t - rateWindow, t)),
                opt(store.rate(p + "out_total", t - rateWindow, t)),
                OptionalDouble.of(0),
                opt(store.rate(p + "retried_total", t - rateWindow, t)),
                opt(store.last(p + "latency", t)),
                dur(store.heldFor(p + "pending", t, v -> v > threshold)),
                dur(store.heldFor(p + "pending", t, v -> v == 0)),
                dur(heldAtMax(p, t)),
                opt(desiredP99(p, t)));
    }

    private double heldAtMax(String p, double t) {
        List<Double> shards = store.window(p + "shards", t - 7200, t);
        List<Double> max = store.window(p + "max", t - 7200, t);
        List<Double> desired = store.window(p + "desired", t - 7200, t);
        int n = Math.min(shards.size(), Math.min(max.size(), desired.size()));
        if (n == 0) {
            return Double.NaN;
        }
        int k = 0;
        for (int j = n - 1; j >= 0; j--) {
            if (shards.get(shards.size() - n + j) >= max.get(max.size() - n + j)
                    && desired.get(desired.size() - n + j) > max.get(max.size() - n + j)) {
                k++;
            } else {
                break;
            }
        }
        return k == 0 ? 0 : (k - 1) * scenario.observation().scrapeInterval().toSeconds();
    }

    /**
     * The 7-day p99 of shards_desired at 5m resolution: the week before the scenario is taken to look like its
     * warm-up (the desired shards at time 0), then the scenario's own points.
     */
    private double desiredP99(String p, double t) {
        int points = 7 * 24 * 12;
        List<Double> recentList = new ArrayList<>();
        for (double s = t; s > Math.max(0, t - 7 * 86400) && recentList.size() < points; s -= 300) {
            double v = store.last(p + "desired", s);
            if (!Double.isNaN(v)) {
                recentList.add(v);
            }
        }
        double baseline = Double.isNaN(shardsDesiredBaseline) ? store.last(p + "desired", t) : shardsDesiredBaseline;
        double[] recent = recentList.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return p99WithBaseline(recent, baseline, points);
    }

    /**
     * The p99 (nearest rank) of {@code points} values: the sorted {@code recent} ones and copies of {@code baseline}
     * for the rest, without building and sorting the whole week.
     */
    static double p99WithBaseline(double[] recentSorted, double baseline, int points) {
        int idx = (int) Math.ceil(0.99 * points) - 1;
        int fill = points - recentSorted.length;
        int below = 0;
        while (below < recentSorted.length && recentSorted[below] < baseline) {
            below++;
        }
        if (idx < below) {
            return recentSorted[idx];
        }
        if (idx < below + fill) {
            return baseline;
        }
        return recentSorted[idx - fill];
    }

    private ReceiverHealth receiverHealth(double t) {
        double errors = store.rate("receiver_5xx_requests_total", t - 300, t);
        return new ReceiverHealth(opt(errors), OptionalDouble.of(0), opt(store.last("receiver_p99", t)),
                opt(store.last("receiver_cpu_avg", t)));
    }

    // ---- results

    private void trackSufficiency(double t, double load, double t0) {
        if (t < t0) {
            return;
        }
        boolean enough = cluster.availableCapacity(t) >= load;
        if (enough && Double.isNaN(sufficientSince)) {
            sufficientSince = t;
            sufficientDecision = Double.isNaN(lastUpDecision) ? t : lastUpDecision;
            double ready = Double.NaN;
            for (ReceiveCluster.Pod p : cluster.pods()) {
                double r = p.createdAt() + seconds(cluster.config().startup());
                if (p.createdAt() >= sufficientDecision) {
                    ready = Double.isNaN(ready) ? r : Math.max(ready, r);
                }
            }
            sufficientReady = Double.isNaN(ready) ? t : ready;
        } else if (!enough) {
            sufficientSince = Double.NaN;
        }
    }

    private void record(double t, double load) {
        double pending = 0;
        double pendingMax = 0;
        double lag = 0;
        int shards = 0;
        double desired = 0;
        double lost = 0;
        double lagSum = 0;
        for (RemoteWriteQueue q : agents) {
            desired += q.desiredShards();
            lagSum += q.lagSeconds();
            pending += q.pending();
            pendingMax = Math.max(pendingMax, q.pending());
            lag = Math.max(lag, q.lagSeconds());
            shards += q.shards();
            lost += q.lost();
        }
        List<ReceiveCluster.Pod> ready = cluster.readyPods(t);
        double util = ready.isEmpty() ? 0 : cluster.storedPerSecond(DT) / (ready.size()
                * cluster.config().samplesPerSecondPerReplica());
        points.add(new Point(t, load, pending, pendingMax, lag, cluster.specReplicas(), ready.size(),
                cluster.hashringMembers().size(), util, shards, lost, cluster.refusedSamplesPerSecond(DT), desired,
                cluster.storedPerSecond(DT), lagSum / agents.size()));
    }

    static Instant instant(double t) {
        return EPOCH.plusMillis(Math.round(t * 1000));
    }

    private static OptionalDouble opt(double v) {
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static OptionalInt optInt(double v) {
        return Double.isNaN(v) ? OptionalInt.empty() : OptionalInt.of((int) Math.round(v));
    }

    private static Optional<Duration> dur(double seconds) {
        return Double.isNaN(seconds) ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
