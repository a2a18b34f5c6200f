package io.rwautoscaler.shards;

import io.rwautoscaler.config.SchedulerConfig;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.model.NotYet;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.AppliedChange;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ReceiverHealth;
import io.rwautoscaler.core.shards.ShardDecision;
import io.rwautoscaler.shards.wire.AgentsJson;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * {@code GET /api/v1/agents}: the shard tuner's last report, per agent and queue; before the first cycle, the one
 * "not yet" of every report ({@link NotYet}).
 */
@Path("/api/v1/agents")
public class AgentsResource {

    @Inject
    ShardReportHolder holder;
    @Inject
    ShardsConfig config;
    @Inject
    SchedulerConfig scheduler;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public AgentsJson agents() {
        return holder.current().map(AgentsResource::toJson).orElseThrow(() -> LookupException.unavailable(
                NotYet.message("shard tuner report", config.enabled(), "autoscaler.shards.enabled",
                        scheduler.firstDelay(), config.every())));
    }

    static AgentsJson toJson(ShardReport r) {
        Map<String, List<AgentsJson.QueueJson>> queuesByAgent = new LinkedHashMap<>();
        for (ShardReport.Queue q : r.queues()) {
            queuesByAgent.computeIfAbsent(key(q.agent()), k -> new ArrayList<>()).add(queue(q));
        }
        List<AgentsJson.AgentJson> agents = new ArrayList<>(r.agents().size());
        for (Agent a : r.agents()) {
            agents.add(new AgentsJson.AgentJson(a.kind(), a.namespace(), a.name(), a.problems(),
                    queuesByAgent.getOrDefault(key(a), List.of())));
        }
        return new AgentsJson(AgentsJson.KIND, AgentsJson.API_VERSION, r.mode(),
                new AgentsJson.Leader(r.leader(), r.identity(), r.leaderIdentity()), cycle(r.lastCycle()),
                r.lastSuccess().map(AgentsResource::cycle).orElse(null), agents,
                r.unmatched().stream().map(AgentsResource::series).toList(), r.problems());
    }

    private static String key(Agent a) {
        return a.kind() + "/" + a.namespace() + "/" + a.name();
    }

    private static AgentsJson.Cycle cycle(ShardReport.Cycle c) {
        return new AgentsJson.Cycle(c.at().toString(), seconds(c.took()), c.ok(), c.error().orElse(null),
                c.queryErrors(), c.queries());
    }

    private static AgentsJson.QueueJson queue(ShardReport.Queue q) {
        ShardDecision d = q.decision();
        String changes = d.current().changesTo(d.recommended());
        return new AgentsJson.QueueJson(
                d.queue().remoteName().isEmpty()
                        ? q.series().stream().map(QueueSeries::remoteName).findFirst().orElse("")
                        : d.queue().remoteName(),
                d.queue().url(), q.entry().index() < 0 ? null : q.entry().index(),
                q.series().stream().map(QueueSeries::pod).distinct().toList(),
                d.state().wireName(), d.reason(), d.safeToApply(), d.safety(), config(d.current()),
                config(d.recommended()), changes.isEmpty() ? List.of() : List.of(changes.split(", ")),
                observed(q.observation()), receivers(q.receivers()),
                q.lastChange().map(AgentsResource::change).orElse(null),
                q.lastAction().map(a -> new AgentsJson.Action(a.at().toString(), a.outcome(), a.detail(),
                        a.patch().orElse(null))).orElse(null));
    }

    private static AgentsJson.Config config(QueueConfig c) {
        List<String> defaulted = new ArrayList<>(4);
        if (c.minShards().isEmpty()) {
            defaulted.add("minShards");
        }
        if (c.maxShards().isEmpty()) {
            defaulted.add("maxShards");
        }
        if (c.capacity().isEmpty()) {
            defaulted.add("capacity");
        }
        if (c.maxSamplesPerSend().isEmpty()) {
            defaulted.add("maxSamplesPerSend");
        }
        return new AgentsJson.Config(c.effectiveMinShards(), c.effectiveMaxShards(), c.effectiveCapacity(),
                c.effectiveMaxSamplesPerSend(), defaulted);
    }

    private static AgentsJson.Observed observed(QueueObservation o) {
        return new AgentsJson.Observed(v(o.pendingSamples()), v(o.lagSeconds()), v(o.shards()), v(o.shardsDesired()),
                v(o.runningMinShards()), v(o.runningMaxShards()), v(o.samplesInRate()), v(o.samplesOutRate()),
                v(o.failedRate()), v(o.retriedRate()), v(o.sendLatencySeconds()), v(o.queueAboveThresholdFor()),
                v(o.queueAtZeroFor()), v(o.shardsAtMaxWithDesiredAboveFor()), v(o.shardsDesiredP99Over7d()));
    }

    private static AgentsJson.Receivers receivers(ReceiverHealth h) {
        return new AgentsJson.Receivers(v(h.errors5xxPerSecond()), v(h.throttled429PerSecond()),
                v(h.p99LatencySeconds()), v(h.cpuUtilization()));
    }

    private static AgentsJson.Change change(AppliedChange c) {
        return new AgentsJson.Change(c.at().toString(), config(c.before()), config(c.after()), c.reverted());
    }

    private static AgentsJson.SeriesJson series(QueueSeries s) {
        return new AgentsJson.SeriesJson(s.namespace(), s.pod(), s.remoteName(), s.url());
    }

    private static Double v(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }

    private static Integer v(OptionalInt i) {
        return i.isPresent() ? i.getAsInt() : null;
    }

    private static Double v(Optional<Duration> d) {
        return d.map(AgentsResource::seconds).orElse(null);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
