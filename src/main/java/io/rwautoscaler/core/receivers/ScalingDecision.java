package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.Figures;

import io.rwautoscaler.core.model.ObjectRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What the firing rules add up to for one receive fleet, conflicts resolved, with amounts and reasons.
 *
 * <p>Resolution, in order:
 * <ol>
 * <li>The agent queue rule goes to the receivers when they are the bottleneck (an {@code ADD_RECEIVERS} rule
 *     fires: CPU or p99 latency): more shards would only push harder on saturated receivers.</li>
 * <li>Scale-out beats scale-in, across the whole pipeline: while anything is under pressure nothing shrinks,
 *     because agents, receivers and their disks share the load. Scale-in also waits while a scale-out rule
 *     has no data: unknown is never fine.</li>
 * <li>Never vertical and horizontal at once (both roll the receivers, and the effect of one must be measured
 *     before the other): horizontal wins, because the hashring spreads series over more receivers, which
 *     relieves memory as well as CPU, while more memory does nothing for CPU. When horizontal cannot move
 *     (at the maximum, at the minimum, or the load forbids a scale-in), vertical goes instead.</li>
 * <li>Replicas stay within the policy's bounds (3–10). Where an HPA owns them, the replica recommendation is
 *     report-only.</li>
 * </ol>
 * Volume expansion goes alongside anything: it is online and restarts nothing.
 */
public record ScalingDecision(List<ReceiverRecommendation> recommendations, List<SuppressedAction> suppressed) {

    static final String HPA_NOTE = "a HorizontalPodAutoscaler owns these replicas: report only, never patched;"
            + " check that the HPA's metrics are served (kubectl describe hpa: ScalingActive=True,"
            + " no FailedGetPodsMetric or FailedGetResourceMetric events)";

    public ScalingDecision {
        recommendations = List.copyOf(recommendations);
        suppressed = List.copyOf(suppressed);
    }

    public static ScalingDecision decide(ReceiverPolicy policy, RuleEvaluation evaluation, ReceiverFleet fleet) {
        return decide(policy, evaluation.statuses(), fleet);
    }

    public static ScalingDecision decide(ReceiverPolicy policy, List<RuleStatus> statuses, ReceiverFleet fleet) {
        return new Resolution(policy, fleet).resolve(statuses);
    }

    public Optional<ReceiverRecommendation> recommendation(RuleAction action) {
        return recommendations.stream().filter(r -> r.action() == action).findFirst();
    }

    public Optional<SuppressedAction> suppression(RuleAction action) {
        return suppressed.stream().filter(s -> s.action() == action).findFirst();
    }

    public boolean isEmpty() {
        return recommendations.isEmpty();
    }

    /** One decision's working state; kept out of the record so the record stays a plain result. */
    private static final class Resolution {
        private final ReceiverPolicy policy;
        private final ReceiverFleet fleet;
        private final List<ReceiverRecommendation> recommendations = new ArrayList<>();
        private final List<SuppressedAction> suppressed = new ArrayList<>();

        Resolution(ReceiverPolicy policy, ReceiverFleet fleet) {
            this.policy = policy;
            this.fleet = fleet;
        }

        ScalingDecision resolve(List<RuleStatus> statuses) {
            Map<RuleAction, List<RuleStatus>> groups = new EnumMap<>(RuleAction.class);
            for (RuleStatus status : statuses) {
                if (status.firing()) {
                    groups.computeIfAbsent(status.rule().action(), a -> new ArrayList<>()).add(status);
                }
            }
            List<String> unknownReceiverScaleOut = names(statuses.stream()
                    .filter(s -> s.state() == RuleState.UNKNOWN && s.rule().action() == RuleAction.ADD_RECEIVERS)
                    .toList());

            List<RuleStatus> queue = groups.get(RuleAction.ADD_AGENT_SHARDS);
            boolean queueToReceivers = queue != null && groups.containsKey(RuleAction.ADD_RECEIVERS);
            if (queueToReceivers) {
                groups.get(RuleAction.ADD_RECEIVERS).addAll(groups.remove(RuleAction.ADD_AGENT_SHARDS));
            }

            holdBackScaleIn(groups, statuses);

            boolean horizontalMoves = false;
            boolean horizontalBlocked = false;
            if (groups.containsKey(RuleAction.ADD_RECEIVERS)) {
                horizontalMoves = addReceivers(groups.get(RuleAction.ADD_RECEIVERS), queueToReceivers);
                horizontalBlocked = !horizontalMoves;
            } else if (groups.containsKey(RuleAction.REMOVE_RECEIVERS)) {
                horizontalMoves = removeReceivers(groups.get(RuleAction.REMOVE_RECEIVERS));
                horizontalBlocked = !horizontalMoves;
            }

            for (RuleAction vertical : List.of(RuleAction.ADD_RECEIVER_MEMORY, RuleAction.REMOVE_RECEIVER_MEMORY)) {
                List<RuleStatus> group = groups.get(vertical);
                if (group == null) {
                    continue;
                }
                if (horizontalMoves) {
                    suppressed.add(new SuppressedAction(vertical, names(group), vertical.direction() == ScalingDirection.SCALE_OUT
                            ? "not vertical and horizontal at once (both roll the receivers): more receivers first, because"
                            + " the hashring spreads series over them, relieving memory as well as CPU; memory is"
                            + " re-checked after the scale-out"
                            : "not vertical and horizontal at once (both roll the receivers): fewer receivers first, which"
                            + " saves whole pods; each remaining receiver then holds more series, so memory is re-checked"
                            + " after the scale-in"));
                    continue;
                }
                List<String> notes = new ArrayList<>();
                if (horizontalBlocked) {
                    notes.add("horizontal scaling cannot move (see the held-back replica action), so memory changes instead");
                }
                notes.add("the amount comes from the right-sizing report (memory peaks, not averages);"
                        + " roll one pod at a time");
                recommendPerTarget(vertical, group, vertical == RuleAction.ADD_RECEIVER_MEMORY
                        ? "more memory per receiver" : "less memory per receiver", notes);
            }

            List<RuleStatus> shards = groups.get(RuleAction.ADD_AGENT_SHARDS);
            if (shards != null) {
                List<String> notes = new ArrayList<>();
                if (!unknownReceiverScaleOut.isEmpty()) {
                    notes.add("cannot tell whether the receivers are the bottleneck: " + String.join(", ", unknownReceiverScaleOut)
                            + " have no data; if they are saturated, add receivers instead");
                }
                notes.add("agents adjust their shards between minShards and maxShards themselves; a backlog that holds"
                        + " means maxShards is reached or each shard is slow: raise queueConfig.maxShards");
                recommendPerTarget(RuleAction.ADD_AGENT_SHARDS, shards, "more agent shards", notes);
            }
            List<RuleStatus> fewerShards = groups.get(RuleAction.REMOVE_AGENT_SHARDS);
            if (fewerShards != null) {
                recommendPerTarget(RuleAction.REMOVE_AGENT_SHARDS, fewerShards, "fewer agent shards",
                        List.of("lower queueConfig.minShards; the agents still add shards up to maxShards when the load returns"));
            }
            List<RuleStatus> volume = groups.get(RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION);
            if (volume != null) {
                recommendPerTarget(RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION, volume,
                        "expand the TSDB volumes or shorten retention",
                        List.of("expand the PVCs only where the StorageClass allows volume expansion; otherwise cut retention"));
            }

            recommendations.sort(Comparator.comparing(ReceiverRecommendation::action));
            suppressed.sort(Comparator.comparing(SuppressedAction::action));
            return new ScalingDecision(recommendations, suppressed);
        }

        /** Removes every scale-in group while scale-out fires or a scale-out rule has no data. */
        private void holdBackScaleIn(Map<RuleAction, List<RuleStatus>> groups, List<RuleStatus> statuses) {
            List<String> scaleOut = groups.entrySet().stream()
                    .filter(e -> e.getKey().direction() == ScalingDirection.SCALE_OUT)
                    .flatMap(e -> e.getValue().stream()).map(RuleStatus::name).toList();
            List<String> unknownScaleOut = names(statuses.stream()
                    .filter(s -> s.state() == RuleState.UNKNOWN && s.rule().direction() == ScalingDirection.SCALE_OUT)
                    .toList());
            for (RuleAction action : List.copyOf(groups.keySet())) {
                if (action.direction() != ScalingDirection.SCALE_IN) {
                    continue;
                }
                String why;
                if (!scaleOut.isEmpty()) {
                    why = "scale-out beats scale-in: " + String.join(", ", scaleOut) + " firing";
                } else if (!unknownScaleOut.isEmpty()) {
                    why = "scale-in waits until every scale-out rule is known not to fire: "
                            + String.join(", ", unknownScaleOut) + " have no data";
                } else {
                    continue;
                }
                suppressed.add(new SuppressedAction(action, names(groups.remove(action)), why));
            }
        }

        private boolean addReceivers(List<RuleStatus> group, boolean queueToReceivers) {
            int current = fleet.replicas();
            ReplicaBounds bounds = policy.bounds();
            if (current >= bounds.max()) {
                suppressed.add(new SuppressedAction(RuleAction.ADD_RECEIVERS, names(group),
                        "already at the maximum of " + bounds.max() + " replicas: " + explain(group)));
                return false;
            }
            ReceiverCapacity capacity = policy.capacity();
            int target;
            String sizing;
            OptionalDouble samples = fleet.samplesPerSecond();
            if (samples.isPresent()) {
                double sps = samples.getAsDouble();
                int needed = capacity.receiversFor(sps);
                if (needed > current) {
                    target = bounds.clamp(needed);
                    sizing = load(sps) + " needs " + needed + " receivers to stay at or below "
                            + Figures.percent(capacity.band().high(), 0)
                            + (needed > bounds.max() ? ", capped at the maximum of " + bounds.max() : "");
                } else {
                    target = bounds.clamp(current + 1);
                    sizing = load(sps) + " fits " + Math.max(needed, 1) + " receivers on paper, but the rules prove"
                            + " pressure: one more receiver; the capacity per receiver may be set too high";
                }
            } else {
                target = bounds.clamp(current + 1);
                sizing = "samples/s unknown: one more receiver";
            }
            List<String> notes = new ArrayList<>();
            if (queueToReceivers) {
                notes.add("the agents' backlog comes from the receivers: more receivers rather than more agent shards,"
                        + " which would push harder on saturated receivers");
            }
            recommendReplicas(RuleAction.ADD_RECEIVERS, group, target, sizing, notes);
            return true;
        }

        private boolean removeReceivers(List<RuleStatus> group) {
            int current = fleet.replicas();
            ReplicaBounds bounds = policy.bounds();
            if (current <= bounds.min()) {
                suppressed.add(new SuppressedAction(RuleAction.REMOVE_RECEIVERS, names(group),
                        "already at the minimum of " + bounds.min() + " replicas: " + explain(group)));
                return false;
            }
            OptionalDouble samples = fleet.samplesPerSecond();
            int target;
            String sizing;
            if (samples.isPresent()) {
                int needed = policy.receiversNeeded(samples.getAsDouble());
                if (needed >= current) {
                    suppressed.add(new SuppressedAction(RuleAction.REMOVE_RECEIVERS, names(group),
                            load(samples.getAsDouble()) + " needs " + needed + " receivers to stay at or below "
                                    + Figures.percent(policy.capacity().band().high(), 0) + ": " + explain(group)));
                    return false;
                }
                target = needed;
                sizing = load(samples.getAsDouble()) + " needs " + needed + " receivers"
                        + (needed == bounds.min() ? " (the minimum)" : "");
            } else {
                target = current - 1;
                sizing = "samples/s unknown: one receiver fewer";
            }
            recommendReplicas(RuleAction.REMOVE_RECEIVERS, group, target, sizing, new ArrayList<>());
            return true;
        }

        private void recommendReplicas(RuleAction action, List<RuleStatus> group, int target, String sizing,
                                       List<String> notes) {
            int current = fleet.replicas();
            OptionalDouble projected = fleet.samplesPerSecond().isPresent()
                    ? OptionalDouble.of(policy.capacity().utilization(fleet.samplesPerSecond().getAsDouble(), target))
                    : OptionalDouble.empty();
            String projection = projected.isPresent() ? " (projected " + Figures.percent(projected.getAsDouble(), 0) + ")" : "";
            String verb = action == RuleAction.ADD_RECEIVERS ? "scale receivers out " : "scale receivers in ";
            String reason = verb + current + " → " + target + ": " + explain(group) + "; " + sizing + projection;
            if (fleet.hpaOwned()) {
                notes.add(HPA_NOTE);
            }
            recommendations.add(new ReceiverRecommendation(action, group.get(0).rule().target(), names(group),
                    OptionalInt.of(current), OptionalInt.of(target), projected, fleet.hpaOwned(), fleet.hpaOwned(),
                    reason, notes));
        }

        /** Non-replica actions: one recommendation per target, since e.g. two agent StatefulSets are two changes. */
        private void recommendPerTarget(RuleAction action, List<RuleStatus> group, String what, List<String> notes) {
            Map<ObjectRef, List<RuleStatus>> byTarget = new LinkedHashMap<>();
            for (RuleStatus status : group) {
                byTarget.computeIfAbsent(status.rule().target(), t -> new ArrayList<>()).add(status);
            }
            byTarget.forEach((target, statuses) -> recommendations.add(new ReceiverRecommendation(action, target,
                    names(statuses), OptionalInt.empty(), OptionalInt.empty(), OptionalDouble.empty(), false, false,
                    what + ": " + explain(statuses), notes)));
        }

        private String load(double samplesPerSecond) {
            return Figures.readable(samplesPerSecond) + " samples/s at "
                    + Figures.readable(policy.capacity().samplesPerSecondPerReceiver()) + " per receiver";
        }
    }

    private static List<String> names(List<RuleStatus> statuses) {
        return statuses.stream().map(RuleStatus::name).toList();
    }

    private static String explain(List<RuleStatus> statuses) {
        return statuses.stream().map(RuleStatus::explanation).collect(Collectors.joining("; "));
    }
}
