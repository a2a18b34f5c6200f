package io.rwautoscaler.core.shards;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which series describe which {@code remoteWrite} entry. A series belongs to the agent whose pods carry its
 * {@code pod} label (prometheus-operator naming) or, failing that, to the one agent of its namespace with a
 * matching entry; within the agent, to the entry named like its {@code remote_name} or else to the one entry with
 * its {@code url} (an entry without a name gets a hash as remote_name). Anything ambiguous is left unmatched and said
 * so: tuning the wrong entry is worse than tuning none.
 */
public final class QueueMatching {

    private QueueMatching() {
    }

    /** One entry and the series that describe it (none yet for a new agent or renamed metrics). */
    public record MatchedQueue(QueueId id, Agent agent, RemoteWriteEntry entry, List<QueueSeries> series) {
        public MatchedQueue {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(entry, "entry");
            series = List.copyOf(series);
        }
    }

    /**
     * @param queues    every readable entry of every agent, in agent then entry order
     * @param unmatched series that belong to no entry
     * @param problems  what was ambiguous, in words
     */
    public record Result(List<MatchedQueue> queues, List<QueueSeries> unmatched, List<String> problems) {
        public Result {
            queues = List.copyOf(queues);
            unmatched = List.copyOf(unmatched);
            problems = List.copyOf(problems);
        }
    }

    /** The queue's id: an entry is known by its name, or by its url when it has none (its remote_name is a hash). */
    public static QueueId idOf(Agent agent, RemoteWriteEntry entry) {
        return QueueId.of(agent.namespace(), agent.name(), entry.name().orElse(""), entry.url());
    }

    public static Result match(List<Agent> agents, Collection<QueueSeries> series) {
        List<String> problems = new ArrayList<>();
        Map<String, List<Agent>> byNamespace = new HashMap<>();
        Map<QueueId, Slot> slots = new LinkedHashMap<>();
        for (Agent agent : agents) {
            byNamespace.computeIfAbsent(agent.namespace(), k -> new ArrayList<>()).add(agent);
            for (RemoteWriteEntry entry : agent.entries()) {
                QueueId id = idOf(agent, entry);
                Slot earlier = slots.get(id);
                if (earlier != null) {
                    problems.add(entry + " of " + agent + " has the same name/url as " + earlier.entry + " of "
                            + earlier.agent + ": neither is tuned, which one a series describes cannot be told");
                    earlier.ambiguous = true;
                    continue;
                }
                slots.put(id, new Slot(id, agent, entry));
            }
        }
        Map<Agent, Map<RemoteWriteEntry, Slot>> slotOf = new HashMap<>();
        for (Slot s : slots.values()) {
            slotOf.computeIfAbsent(s.agent, k -> new HashMap<>()).put(s.entry, s);
        }

        List<QueueSeries> unmatched = new ArrayList<>();
        for (QueueSeries s : series) {
            List<Agent> inNamespace = byNamespace.getOrDefault(s.namespace(), List.of());
            List<Agent> owners = inNamespace.stream().filter(a -> a.ownsPod(s.pod())).toList();
            if (owners.isEmpty()) {
                owners = inNamespace.stream().filter(a -> entryFor(a, s).isPresent()).toList();
                if (owners.size() > 1) {
                    problems.add("series " + s + ": pod belongs to no agent, and " + owners.size()
                            + " agents of its namespace have a matching entry; left unmatched");
                    unmatched.add(s);
                    continue;
                }
            }
            List<Slot> found = new ArrayList<>(1);
            for (Agent owner : owners) {
                entryFor(owner, s).map(e -> slotOf.getOrDefault(owner, Map.of()).get(e)).ifPresent(found::add);
            }
            if (found.size() != 1 || found.get(0).ambiguous) {
                unmatched.add(s);
                continue;
            }
            found.get(0).series.add(s);
        }

        List<MatchedQueue> queues = new ArrayList<>(slots.size());
        for (Slot s : slots.values()) {
            if (!s.ambiguous) {
                s.series.sort(null);
                queues.add(new MatchedQueue(s.id, s.agent, s.entry, s.series));
            }
        }
        unmatched.sort(null);
        return new Result(queues, unmatched, problems);
    }

    /** The entry a series describes within one agent: by name, else the only entry with its url. */
    static Optional<RemoteWriteEntry> entryFor(Agent agent, QueueSeries s) {
        if (!s.remoteName().isEmpty()) {
            for (RemoteWriteEntry e : agent.entries()) {
                if (e.name().isPresent() && e.name().get().equals(s.remoteName())) {
                    return e.url().equals(s.url()) || s.url().isEmpty() ? Optional.of(e) : Optional.empty();
                }
            }
        }
        RemoteWriteEntry only = null;
        for (RemoteWriteEntry e : agent.entries()) {
            if (e.url().equals(s.url())) {
                if (only != null) {
                    return Optional.empty();
                }
                only = e;
            }
        }
        return Optional.ofNullable(only);
    }

    private static final class Slot {
        final QueueId id;
        final Agent agent;
        final RemoteWriteEntry entry;
        final List<QueueSeries> series = new ArrayList<>();
        boolean ambiguous;

        Slot(QueueId id, Agent agent, RemoteWriteEntry entry) {
            this.id = id;
            this.agent = agent;
            this.entry = entry;
        }
    }
}
