package io.rwautoscaler.replay;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.ReceiverPolicyConfig;
import io.rwautoscaler.config.ReceiversConfig;
import io.rwautoscaler.config.ReplayConfig;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.hpa.ControllerSettings;
import io.rwautoscaler.core.hpa.HpaSpec;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.core.replay.Grid;
import io.rwautoscaler.core.replay.HpaFigures;
import io.rwautoscaler.core.replay.HpaPart;
import io.rwautoscaler.core.replay.HpaSetup;
import io.rwautoscaler.core.replay.Replay;
import io.rwautoscaler.core.replay.ReplayResult;
import io.rwautoscaler.core.replay.ReplaySettings;
import io.rwautoscaler.core.replay.ReplayWindow;
import io.rwautoscaler.core.replay.ShardHistory;
import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.hpa.HpaSpecs;
import io.rwautoscaler.hpa.InvalidHpaSpecException;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.rwautoscaler.prometheus.Prometheus;
import io.rwautoscaler.receivers.KubeReceiverFleet;
import io.rwautoscaler.receivers.ReceiverPolicySource;
import io.rwautoscaler.shards.QueueObserver;
import io.rwautoscaler.shards.QueueQueries;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs replays one at a time on their own thread, with a time limit: observe (range queries), replay (pure), and
 * hand the result to the report. The live loops' configuration and the receiver policy file as it reads now are
 * what the replay decides with.
 */
@ApplicationScoped
public class ReplayService {

    private static final Logger LOG = Logger.getLogger(ReplayService.class);

    /** A replay is already running: the caller gets 429. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** The replay ran past its time limit and was stopped: the caller gets 503. */
    public static final class TimedOut extends RuntimeException {
        TimedOut(String message) {
            super(message, null, false, false);
        }
    }

    /** One replay and how it went. */
    public record Run(ReplayResult result, int queries, Duration took, Duration reading, ReceiverPolicySource.State policy,
                      Instant startedAt) {
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "replay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();

    @Inject
    ReplayConfig config;
    @Inject
    ReceiverPolicyConfig policyConfig;
    @Inject
    ReceiversConfig receiversConfig;
    @Inject
    ShardsConfig shardsConfig;
    @Inject
    MetricsConfig metricsConfig;
    @Inject
    ShardPolicy shardPolicy;
    @Inject
    QueueQueries queueQueries;
    @Inject
    Prometheus prometheus;
    @Inject
    KubernetesConfig kubernetes;
    @Inject
    Instance<KubernetesClient> client;
    @Inject
    MetricRuleSet ruleSet;
    @Inject
    ReceiverFeed feed;

    /**
     * @throws Busy     when another replay runs
     * @throws TimedOut when it ran longer than {@code autoscaler.replay.timeout}
     */
    public Run run(ReplayWindow window) {
        if (!running.compareAndSet(false, true)) {
            throw new Busy("a replay is already running; replays run one at a time: retry when it has finished"
                    + " (at most " + config.timeout().toSeconds() + "s)");
        }
        Future<Run> future;
        try {
            future = executor.submit(() -> {
                try {
                    return replay(window);
                } finally {
                    running.set(false);
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        try {
            return future.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TimedOut("the replay took longer than autoscaler.replay.timeout (" + config.timeout().toSeconds()
                    + "s) and was stopped: use a shorter window or a coarser step");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TimedOut("interrupted while waiting for the replay");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Run replay(ReplayWindow window) {
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        ReceiverPolicySource.State policy = new ReceiverPolicySource(policyConfig.file(), false, prometheus)
                .refresh(startedAt);
        Set<String> perReceiver = new HashSet<>(config.perReceiverRules());
        ShardsConfig.Observe observe = shardsConfig.observe();
        ReplaySettings settings = new ReplaySettings(policy.policy(), policyConfig.cooldown(), perReceiver,
                shardPolicy, observe.historyWindow(), observe.minHistory());
        ShardsConfig.ReceiverQueries rq = shardsConfig.receiverQueries();
        ReplayReader reader = new ReplayReader(prometheus, new ReplayReader.Sources(policyConfig.samplesQuery(),
                replicasQuery(), queueQueries, new QueueObserver.ReceiverQueries(rq.errors5xx(), rq.throttled429(),
                rq.p99Latency(), rq.cpuUtilization()), metricsConfig.namespaceLabel(), metricsConfig.podLabel()),
                config.queryTimeout(), config.maxValues());
        var receivers = reader.receivers(window, settings);
        HpaPart hpa = hpa(reader, receivers.grid());
        int historySteps = (int) (observe.historyWindow().toMillis() / window.step().toMillis());
        ShardHistory shards = shardsConfig.enabled() ? reader.shards(window, historySteps)
                : ShardHistory.none(window.steps());
        Duration reading = Duration.ofNanos(System.nanoTime() - started);
        ReplayResult result = Replay.run(window, settings, receivers, shards, hpa,
                () -> Thread.currentThread().isInterrupted());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.infof("replay %s to %s at %ss: %d decisions, %d queries, %d queues, %d ms (%d ms reading)", window.from(),
                window.to(), window.step().toSeconds(), result.decisions().size(), reader.queries, result.queues(),
                took.toMillis(), reading.toMillis());
        return new Run(result, reader.queries, took, reading, policy, startedAt);
    }

    /**
     * The receivers' HPA as the cluster has it now (the autoscaling/v2 HPA whose scaleTargetRef is the receive
     * StatefulSet), with the figures it reads; absent, with the reason, in local mode, without one, or when it
     * cannot be read or converted.
     */
    private HpaPart hpa(ReplayReader reader, Grid fine) {
        ReplayConfig.Hpa c = config.hpa();
        if (!c.enabled()) {
            return HpaPart.absent("autoscaler.replay.hpa.enabled is false");
        }
        String namespace = receiversConfig.namespace();
        String statefulSet = receiversConfig.statefulset();
        if (!kubernetes.enabled()) {
            return HpaPart.absent("local mode (autoscaler.kubernetes.enabled=false): no Kubernetes API to read the"
                    + " receivers' HorizontalPodAutoscaler from");
        }
        Optional<HorizontalPodAutoscaler> found;
        try {
            found = KubeReceiverFleet.owningHpa(client.get(), namespace, statefulSet);
        } catch (KubernetesClientException e) {
            return HpaPart.absent("cannot list HorizontalPodAutoscalers in " + namespace + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
            return HpaPart.absent("no HorizontalPodAutoscaler (autoscaling/v2) in " + namespace + " has StatefulSet "
                    + statefulSet + " as its scaleTargetRef");
        }
        String name = namespace + "/" + found.get().getMetadata().getName();
        HpaSpec spec;
        try {
            spec = HpaSpecs.fromSpec(found.get().getSpec());
        } catch (InvalidHpaSpecException e) {
            return HpaPart.absent("HorizontalPodAutoscaler " + name + " cannot be replayed: " + e.getMessage());
        }
        ControllerSettings settings;
        try {
            settings = new ControllerSettings(c.tolerance(), ControllerSettings.DEFAULTS.cpuInitializationPeriod(),
                    ControllerSettings.DEFAULTS.initialReadinessDelay(), c.downscaleStabilization());
        } catch (IllegalArgumentException e) {
            return HpaPart.absent("autoscaler.replay.hpa: " + e.getMessage());
        }
        HpaFigures figures = reader.hpa(fine, spec, new ReplayReader.HpaSources(ruleSet.rules(), feed.agents(),
                namespace, c.cpuUtilizationQuery(), c.memoryUtilizationQuery()));
        return HpaPart.of(new HpaSetup(name, spec, settings), figures);
    }

    /** Whether a replay is running now. */
    public boolean running() {
        return running.get();
    }

    /** The real replicas of the receive StatefulSet, from kube-state-metrics. */
    String replicasQuery() {
        return "max(kube_statefulset_replicas{namespace=\"" + receiversConfig.namespace() + "\", statefulset=\""
                + receiversConfig.statefulset() + "\"})";
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

}
