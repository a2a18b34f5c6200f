package io.rwautoscaler.kube;

import io.rwautoscaler.runtime.Leadership;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Leader election through a {@code coordination.k8s.io/v1} Lease, with fabric8's {@link LeaderElector}. An elector
 * is single-use: once it stops leading (lease lost, renew deadline passed) a new one is started after a retry
 * period, so a replica that lost the lease competes again.
 */
public final class LeaseLeadership implements Leadership, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseLeadership.class);

    /** Lease timings; the renew deadline must be shorter than the lease, so we stop before another can start. */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        public Timing {
            if (leaseDuration.toSeconds() < 1) {
                throw new IllegalArgumentException("lease duration must be at least 1s, got " + leaseDuration);
            }
            if (renewDeadline.compareTo(leaseDuration) >= 0) {
                throw new IllegalArgumentException("renew deadline " + renewDeadline
                        + " must be shorter than the lease duration " + leaseDuration);
            }
            if (retryPeriod.isZero() || retryPeriod.isNegative() || retryPeriod.compareTo(renewDeadline) >= 0) {
                throw new IllegalArgumentException("retry period " + retryPeriod
                        + " must be positive and shorter than the renew deadline " + renewDeadline);
            }
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Timing timing;
    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicReference<String> leader = new AtomicReference<>("");
    private final AtomicReference<CompletableFuture<?>> running = new AtomicReference<>();
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shard-tuner-leader-election");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public LeaseLeadership(KubernetesClient client, String namespace, String leaseName, String identity,
                           Timing timing) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /** Starts competing for the lease; returns at once. */
    public LeaseLeadership start() {
        elect();
        return this;
    }

    private void elect() {
        if (closed) {
            return;
        }
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(timing.leaseDuration())
                .withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            leading.set(true);
                            LOG.infof("%s is now the leader (lease %s/%s)", identity, namespace, leaseName);
                        },
                        () -> {
                            if (leading.getAndSet(false)) {
                                LOG.infof("%s stopped leading (lease %s/%s)", identity, namespace, leaseName);
                            }
                        },
                        newLeader -> leader.set(newLeader == null ? "" : newLeader)))
                .build()).build();
        CompletableFuture<?> future = elector.start();
        running.set(future);
        future.whenComplete((ok, error) -> {
            leading.set(false);
            if (error != null && !closed) {
                LOG.warnf("leader election for %s/%s ended with %s; competing again", namespace, leaseName,
                        error.toString());
            }
            if (!closed) {
                restarts.schedule(this::elect, timing.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public boolean isLeader() {
        return leading.get();
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public String leader() {
        return leader.get();
    }

    /** Stops competing and releases the lease if held, so another replica takes over without waiting it out. */
    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> f = running.get();
        if (f != null) {
            f.cancel(true);
        }
        leading.set(false);
        restarts.shutdownNow();
    }
}
