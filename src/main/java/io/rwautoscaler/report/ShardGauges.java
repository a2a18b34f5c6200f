package io.rwautoscaler.report;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Per-queue gauges of the last report, so users can alert on them, e.g. {@code rwa_shards_state{state="reverted"}
 * == 1} or {@code rwa_shards_recommended_max_shards > rwa_shards_current_max_shards}. Every state has a series
 * (1 for the current one, 0 for the others), the way kube-state-metrics shows phases. Queues that disappear lose
 * their series.
 */
public final class ShardGauges {

    private static final String[] CONFIG = {"min_shards", "max_shards", "capacity", "max_samples_per_send"};

    private final MeterRegistry registry;
    private final Map<QueueId, ShardDecision> decisions = new ConcurrentHashMap<>();
    private final Map<QueueId, List<Meter>> meters = new HashMap<>();

    public ShardGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    public synchronized void update(ShardReport report) {
        Set<QueueId> seen = new HashSet<>();
        for (ShardReport.Queue q : report.queues()) {
            QueueId id = q.decision().queue();
            seen.add(id);
            decisions.put(id, q.decision());
            if (!meters.containsKey(id)) {
                meters.put(id, register(id, q.agent().kind()));
            }
        }
        for (QueueId gone : new ArrayList<>(meters.keySet())) {
            if (!seen.contains(gone)) {
                meters.remove(gone).forEach(registry::remove);
                decisions.remove(gone);
            }
        }
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
