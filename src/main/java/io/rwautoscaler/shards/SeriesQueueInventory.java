package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueSeries;
import io.rwautoscaler.core.shards.RemoteWriteEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Local mode: each pod seen in the queue series is an agent, each of its queues an entry, and the config is what
 * the agent reports running ({@code shards_min}, {@code shards_max}, {@code shard_capacity},
 * {@code max_samples_per_send}). There is no resource to patch: recommendations only.
 */
public final class SeriesQueueInventory implements QueueInventory {

    @Override
    public List<Agent> agents(ObservedQueues observed) {
        Map<List<String>, List<QueueSeries>> byPod = new TreeMap<>((a, b) -> {
            int c = a.get(0).compareTo(b.get(0));
            return c != 0 ? c : a.get(1).compareTo(b.get(1));
        });
        for (QueueSeries s : observed.series()) {
            byPod.computeIfAbsent(List.of(s.namespace(), s.pod()), k -> new ArrayList<>()).add(s);
        }
        List<Agent> agents = new ArrayList<>(byPod.size());
        byPod.forEach((pod, series) -> {
            List<RemoteWriteEntry> entries = new ArrayList<>(series.size());
            List<String> problems = new ArrayList<>();
            for (QueueSeries s : series) {
                entries.add(new RemoteWriteEntry(-1, Optional.of(s.remoteName()), s.url(), observed.runningConfig(s)));
                List<String> missing = observed.missingConfig(s);
                if (!missing.isEmpty()) {
                    problems.add("queue " + s.remoteName() + ": no " + String.join(", ", missing)
                            + " gauge; shown as the Prometheus default");
                }
            }
            agents.add(new Agent(Agent.LOCAL, pod.get(0), pod.get(1), "", entries, problems));
        });
        return agents;
    }
}
