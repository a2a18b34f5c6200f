package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.AppliedChange;
import io.rwautoscaler.core.shards.QueueObservation;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.ReceiverHealth;
import io.rwautoscaler.core.shards.RemoteWriteEntry;
import io.rwautoscaler.core.shards.ShardDecision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the shard tuner knows after its last cycle, for {@code GET /api/v1/agents} and the gauges. Immutable; a
 * failed cycle keeps the previous queues and says why in {@link #lastCycle()}.
 *
 * @param mode        {@code recommend} or {@code apply}
 * @param agents      every agent found, readable or not (its problems say what could not be read)
 * @param queues      one per tuned remoteWrite entry, in agent then entry order
 * @param unmatched   queue series that belong to no entry
 * @param problems    matching problems (ambiguous entries or series)
 */
public record ShardReport(String mode, boolean leader, String identity, String leaderIdentity, Cycle lastCycle,
                          Optional<Cycle> lastSuccess, List<Agent> agents, List<Queue> queues,
                          List<QueueSeries> unmatched, List<String> problems) {

    public ShardReport {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(lastCycle, "lastCycle");
        lastSuccess = lastSuccess == null ? Optional.empty() : lastSuccess;
        agents = List.copyOf(agents);
        queues = List.copyOf(queues);
        unmatched = List.copyOf(unmatched);
        problems = List.copyOf(problems);
    }

    /**
     * One cycle's outcome.
     *
     * @param error        why the cycle failed; empty when it succeeded
     * @param queryErrors  queries that failed while the cycle still ran (their figures unknown)
     * @param queries      Prometheus queries the cycle made
     */
    public record Cycle(Instant at, Duration took, Optional<String> error, Map<String, String> queryErrors,
                        int queries) {
        public Cycle {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(took, "took");
            error = error == null ? Optional.empty() : error;
            queryErrors = Map.copyOf(queryErrors);
        }

        public boolean ok() {
            return error.isEmpty();
        }
    }

    /**
     * What was last done about a queue.
     *
     * @param outcome {@code patched}, {@code dry-run}, {@code conflict}, {@code failed}, {@code not-patchable},
     *                {@code backing-off}, {@code not-leader}
     * @param patch   the JSON patch sent or that would have been sent
     */
    public record Action(Instant at, String outcome, String detail, Optional<String> patch) {
        public Action {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
            patch = patch == null ? Optional.empty() : patch;
        }
    }

    /** One remoteWrite entry: where it is, what was seen, what was decided, and what was done. */
    public record Queue(Agent agent, RemoteWriteEntry entry, List<QueueSeries> series, QueueObservation observation,
                        ReceiverHealth receivers, ShardDecision decision, Optional<AppliedChange> lastChange,
                        Optional<Action> lastAction) {
        public Queue {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(entry, "entry");
            series = List.copyOf(series);
            Objects.requireNonNull(observation, "observation");
            Objects.requireNonNull(receivers, "receivers");
            Objects.requireNonNull(decision, "decision");
            lastChange = lastChange == null ? Optional.empty() : lastChange;
            lastAction = lastAction == null ? Optional.empty() : lastAction;
        }
    }
}
