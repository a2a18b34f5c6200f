package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueId;
import io.rwautoscaler.core.shards.RemoteWriteEntry;
import io.rwautoscaler.kube.EventReason;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.kube.KubeEvents.Involved;
import io.rwautoscaler.kube.KubeEvents.Notice;
import io.rwautoscaler.core.shards.ShardDecision;

import java.util.Optional;

/**
 * Which Event a queue's situation deserves. The key says when the situation changed (state, and what was
 * recommended or done): {@link KubeEvents} writes only then (see {@link EventReason} for the reasons).
 *
 * <ul>
 *   <li>{@code ShardBoundsChanged} (Normal): a patch was applied.</li>
 *   <li>{@code ShardChangeRecommended} (Normal): recommend mode, or local mode: what would have been applied.</li>
 *   <li>{@code ShardPatchFailed} (Warning): the API refused the patch (conflict, error); retried with backoff.</li>
 *   <li>{@code ShardChangeRefused} (Warning): a change is called for but waits (lag too high, receivers the
 *       bottleneck, budget used up).</li>
 *   <li>{@code ShardChangeReverted} (Warning): our change was undone; the tuner stays out of the way.</li>
 *   <li>{@code RemoteWriteEndpointFailing} (Warning): the queue's endpoint refuses (almost) every send.</li>
 *   <li>{@code ShardDataInsufficient} (Normal): figures the decision needs are missing.</li>
 * </ul>
 */
final class ShardActionEvents {

    record Event(String key, Optional<Notice> spec) {
    }

    private ShardActionEvents() {
    }

    /** For a decision that was not handed to the patcher; empty for states that need no event (ok, cooldown). */
    static Optional<Event> forState(ShardDecision d) {
        String state = d.state().wireName();
        String key = state + " " + d.recommended();
        return switch (d.state()) {
            case REVERTED -> Optional.of(new Event(state, Optional.of(new Notice(EventReason.SHARD_CHANGE_REVERTED, queue(d) + ": " + d.reason()))));
            case WAITING_FOR_DRAIN, RECEIVERS_BOTTLENECK, BUDGET_EXHAUSTED -> Optional.of(new Event(key, Optional.of(
                    new Notice(EventReason.SHARD_CHANGE_REFUSED, queue(d) + " " + state + ": " + d.reason()))));
            case ENDPOINT_FAILING -> Optional.of(new Event(state, Optional.of(new Notice(EventReason.REMOTE_WRITE_ENDPOINT_FAILING, queue(d) + ": " + d.reason()))));
            case INSUFFICIENT_DATA -> Optional.of(new Event(state, Optional.of(new Notice(EventReason.SHARD_DATA_INSUFFICIENT, queue(d) + ": " + d.reason()))));
            default -> Optional.empty();
        };
    }

    static Event forAction(RemoteWriteEntry entry, ShardDecision d, QueueConfigPatcher.Result r) {
        String what = entry + ": " + d.current().changesTo(d.recommended());
        return switch (r.outcome()) {
            case PATCHED -> new Event("patched " + d.recommended(), Optional.of(new Notice(EventReason.SHARD_BOUNDS_CHANGED, "changed queueConfig of " + what + " (" + d.reason() + ")")));
            case DRY_RUN, NOT_PATCHABLE -> new Event("recommended " + d.recommended(), Optional.of(
                    new Notice(EventReason.SHARD_CHANGE_RECOMMENDED, "recommend " + what + " (" + d.reason()
                            + "); not applied: " + r.detail())));
            case CONFLICT, FAILED -> new Event("failed " + r.outcome().wireName() + " " + d.recommended(),
                    Optional.of(new Notice(EventReason.SHARD_PATCH_FAILED, "could not change " + what + ": "
                            + r.detail() + "; retrying with backoff")));
        };
    }

    /** The agent resource the Events go on; a pod seen only in series has no API object: its Events are logged. */
    static Involved involved(Agent agent) {
        return agent.isLocal() ? Involved.local(agent.kind(), agent.namespace(), agent.name())
                : Involved.of(PrometheusKinds.of(agent.kind()).apiVersion(), agent.kind(), agent.namespace(),
                agent.name(), agent.uid());
    }

    /** Each queue of an agent is a subject of its own. */
    static String subject(QueueId q) {
        return q.namespace() + "/" + q.agent() + "/" + q.pod() + "/" + q.remoteName() + "/" + q.url();
    }

    private static String queue(ShardDecision d) {
        return "queue " + (d.queue().remoteName().isEmpty() ? d.queue().url() : d.queue().remoteName());
    }
}
