package io.rwautoscaler.shards;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueId;
import io.rwautoscaler.core.shards.ShardDecision;
import io.rwautoscaler.core.shards.ShardState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Per-queue gauges of the last report, so users can alert on them, e.g. {@code rwa_shards_state{state="reverted"}
 * == 1} or {@code rwa_shards_recommended_max_shards > rwa_shards_current_max_shards}. Every state has a series
 * (1 for the current one, 0 for the others), the way kube-state-metrics shows phases. Queues that disappear lose
 * their series. Only {@code autoscaler.shards.metrics-queue-limit} queues get such series (those not {@code ok}
 * first; a queue keeps its series while it is reported); {@code rwa_shards_queues{state}} counts every queue, and
 * {@code rwa_shards_queues_without_series} says how many were left without their own.
 */
public final class ShardGauges {

    private static final String[] CONFIG = {"min_shards", "max_shards", "capacity", "max_samples_per_send"};

    private final MeterRegistry registry;
    private final Map<QueueId, ShardDecision> decisions = new ConcurrentHashMap<>();
    private final Map<QueueId, List<Meter>> meters = new HashMap<>();

    private final int limit;
    private final Map<ShardState, Integer> byState = new ConcurrentHashMap<>();
    private volatile int withoutSeries;

    public ShardGauges(MeterRegistry registry, int queueLimit) {
        if (queueLimit < 0) {
            throw new IllegalArgumentException("autoscaler.shards.metrics-queue-limit: must be 0 or more, got " + queueLimit);
        }
        this.registry = registry;
        this.limit = queueLimit;
        for (ShardState s : ShardState.values()) {
            Gauge.builder("rwa_shards_queues", byState, m -> m.getOrDefault(s, 0))
                    .description("Queues in each shard tuner state at the last cycle")
                    .tag("state", s.wireName()).register(registry);
        }
        Gauge.builder("rwa_shards_queues_without_series", this, g -> g.withoutSeries)
                .description("Queues beyond autoscaler.shards.metrics-queue-limit: counted in rwa_shards_queues, without per-queue series")
                .register(registry);
    }

    public synchronized void update(ShardReport report) {
        Map<QueueId, ShardReport.Queue> seen = new HashMap<>();
        Map<ShardState, Integer> counts = new HashMap<>();
        for (ShardReport.Queue q : report.queues()) {
            seen.put(q.decision().queue(), q);
            counts.merge(q.decision().state(), 1, Integer::sum);
        }
        for (QueueId gone : new ArrayList<>(meters.keySet())) {
            if (!seen.containsKey(gone)) {
                meters.remove(gone).forEach(registry::remove);
            }
        }
        decisions.keySet().retainAll(seen.keySet());
        // Queues that already have series keep them; the free places go to queues that need attention first.
        List<ShardReport.Queue> waiting = new ArrayList<>();
        for (ShardReport.Queue q : seen.values()) {
            decisions.put(q.decision().queue(), q.decision());
            if (!meters.containsKey(q.decision().queue())) {
                waiting.add(q);
            }
        }
        waiting.sort(java.util.Comparator.comparing((ShardReport.Queue q) -> q.decision().state() == ShardState.OK)
                .thenComparing(q -> q.decision().queue().toString()));
        int left = 0;
        for (ShardReport.Queue q : waiting) {
            if (meters.size() < limit) {
                meters.put(q.decision().queue(), register(q.decision().queue(), q.agent().kind()));
            } else {
                left++;
            }
        }
        byState.keySet().retainAll(counts.keySet());
        byState.putAll(counts);
        withoutSeries = left;
    }

    private List<Meter> register(QueueId id, String kind) {
        Tags tags = Tags.of("namespace", id.namespace(), "agent", id.agent(), "kind", kind,
                "remote_name", id.remoteName(), "url", id.url());
        List<Meter> out = new ArrayList<>();
        for (int f = 0; f < CONFIG.length; f++) {
            int field = f;
            out.add(gauge("rwa_shards_recommended_" + CONFIG[f], "queueConfig the shard tuner recommends",
                    tags, id, d -> value(d.recommended(), field)));
            out.add(gauge("rwa_shards_current_" + CONFIG[f], "queueConfig the agent's resource has now (effective)",
                    tags, id, d -> value(d.current(), field)));
        }
        out.add(gauge("rwa_shards_safe_to_apply", "1 when the queue's lag allows restarting it without loss",
                tags, id, d -> d.safeToApply() ? 1 : 0));
        for (ShardState s : ShardState.values()) {
            out.add(gauge("rwa_shards_state", "1 for the queue's current shard tuner state, 0 for the others",
                    tags.and("state", s.wireName()), id, d -> d.state() == s ? 1 : 0));
        }
        return out;
    }

    private Meter gauge(String name, String help, Tags tags, QueueId id, ToDoubleFunction<ShardDecision> f) {
        return Gauge.builder(name, decisions, m -> {
            ShardDecision d = m.get(id);
            return d == null ? Double.NaN : f.applyAsDouble(d);
        }).description(help).tags(tags).register(registry);
    }

    private static double value(QueueConfig c, int field) {
        return switch (field) {
            case 0 -> c.effectiveMinShards();
            case 1 -> c.effectiveMaxShards();
            case 2 -> c.effectiveCapacity();
            default -> c.effectiveMaxSamplesPerSend();
        };
    }
}
