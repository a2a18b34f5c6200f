package io.rwautoscaler.replay;

import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.ReceiverPolicyConfig;
import io.rwautoscaler.config.ReceiversConfig;
import io.rwautoscaler.config.ReplayConfig;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.replay.Replay;
import io.rwautoscaler.core.replay.ReplayResult;
import io.rwautoscaler.core.replay.ReplaySettings;
import io.rwautoscaler.core.replay.ReplayWindow;
import io.rwautoscaler.core.replay.ShardHistory;
import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.prometheus.PromQuery;
import io.rwautoscaler.prometheus.PrometheusClient;
import io.rwautoscaler.receivers.ReceiverPolicySource;
import io.rwautoscaler.shards.QueueObserver;
import io.rwautoscaler.shards.QueueQueries;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
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
    public record Run(ReplayResult result, int queries, Duration took, ReceiverPolicySource.State policy, Instant startedAt) {
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
    PrometheusClient prometheus;
    @Inject
    PromQuery promQuery;

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
        ReceiverPolicySource.State policy = new ReceiverPolicySource(policyConfig.file(), false, promQuery)
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
        int historySteps = (int) (observe.historyWindow().toMillis() / window.step().toMillis());
        ShardHistory shards = shardsConfig.enabled() ? reader.shards(window, historySteps)
                : ShardHistory.none(window.steps());
        ReplayResult result = Replay.run(window, settings, receivers, shards,
                () -> Thread.currentThread().isInterrupted());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.infof("replay %s to %s at %ss: %d decisions, %d queries, %d queues, %d ms", window.from(), window.to(),
                window.step().toSeconds(), result.decisions().size(), reader.queries, result.queues(), took.toMillis());
        return new Run(result, reader.queries, took, policy, startedAt);
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
