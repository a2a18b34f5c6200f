package io.rwautoscaler.receivers;

import io.rwautoscaler.core.receivers.PolicyProblem;
import io.rwautoscaler.core.model.PromDuration;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.ReceiverRecommendation;
import io.rwautoscaler.core.receivers.RuleStatus;
import io.rwautoscaler.core.receivers.SuppressedAction;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * {@code GET /api/v1/receivers}: every rule with its value, threshold, condition, how long it has held and
 * whether it fires; the recommendations, what was held back and why, what was done; the policy in force;
 * the hashring. Absent values are {@code null}, never 0: an unknown rule must not read as a calm one.
 */
public record ReceiversView(String kind, String apiVersion, String evaluatedAt, Double tookSeconds, String mode, boolean leader, PolicyView policy,
                            FleetView fleet, List<RuleView> rules, List<FailingQueueView> failingQueues,
                            String failingQueuesError, List<RecommendationView> recommendations,
                            List<SuppressedView> suppressed, String noDecision, List<ActionView> actions,
                            HashringView hashring) {

    public static final String KIND = "ReceiverPolicyReport";
    public static final String API_VERSION = "rwa/v1";

    public record PolicyView(String source, String file, boolean valid, boolean actingAllowed, String loadedAt,
                             String sha256, String lastError, String lastErrorAt, List<String> problems,
                             int minReplicas, int maxReplicas, double samplesPerSecondPerReceiver,
                             double targetUtilizationLow, double targetUtilizationHigh, String evaluationStep) {
    }

    public record FleetView(String statefulSet, Integer replicas, boolean hpaOwned, String hpa, String hpaMetrics,
                            Double samplesPerSecond, String samplesError, Integer receiversNeeded, String problem) {
    }

    public record RuleView(String name, String state, Double value, Double provenValue, String comparison,
                           double threshold, String condition, String forDuration, String heldFor, long heldForSeconds,
                           String heldSince, String action, String target, String expression, String explanation,
                           String dataProblem) {
    }

    /**
     * An agent queue whose endpoint fails: its backlog is not receiver pressure (the default agent-queue rules leave
     * it out), so it is named here instead of driving advice.
     *
     * @param failingShare share of samples tried that were retried or dropped; null when none were tried
     */
    public record FailingQueueView(String namespace, String pod, String instance, String remoteName, String url,
                                   Double failingShare, String reason) {
    }

    public record RecommendationView(String action, String direction, String target, List<String> firedBy,
                                     Integer currentReplicas, Integer recommendedReplicas, Double projectedUtilization,
                                     boolean hpaOwned, boolean reportOnly, String reason, List<String> notes) {
    }

    public record SuppressedView(String action, List<String> firedBy, String why) {
    }

    public record ActionView(String action, String object, String change, String result, String detail) {
    }

    public record HashringView(boolean managed, boolean sync, String configMap, String key, String outcome,
                               Boolean inSync, List<String> endpoints, List<String> currentEndpoints,
                               String lastChange, String checkedAt, boolean rolled, String message) {
    }

    static final HashringView NOT_CHECKED = new HashringView(false, false, null, null, "NOT_CHECKED", null, List.of(),
            List.of(), null, null, false, "no hashring sync has run yet");

    static ReceiversView of(ReceiverCycle c, Optional<HashringStatus> hashring) {
        ReceiverPolicy policy = c.policy().policy();
        return new ReceiversView(KIND, API_VERSION, c.evaluatedAt().toString(), seconds(c.took()), c.mode().name().toLowerCase(java.util.Locale.ROOT),
                c.leader(), policy(c.policy()), fleet(c, policy),
                c.evaluation().statuses().stream().map(s -> rule(s, c.ruleErrors().get(s.name()))).toList(),
                c.failingQueues().queues().stream().map(ReceiversView::failing).toList(),
                c.failingQueues().error().orElse(null),
                c.decision().map(d -> d.recommendations().stream().map(ReceiversView::recommendation).toList()).orElse(List.of()),
                c.decision().map(d -> d.suppressed().stream().map(ReceiversView::suppressed).toList()).orElse(List.of()),
                c.noDecision().orElse(null), c.actions().stream().map(ReceiversView::action).toList(),
                hashring.map(ReceiversView::hashring).orElse(NOT_CHECKED));
    }

    static PolicyView policy(ReceiverPolicySource.State s) {
        ReceiverPolicy p = s.policy();
        return new PolicyView(s.source(), s.file().map(Object::toString).orElse(null), s.valid(), s.actingAllowed(),
                s.loadedAt().map(Instant::toString).orElse(null), s.sha256().orElse(null), s.lastError().orElse(null),
                s.lastErrorAt().map(Instant::toString).orElse(null),
                s.problems().stream().map(PolicyProblem::toString).toList(), p.bounds().min(), p.bounds().max(),
                p.capacity().samplesPerSecondPerReceiver(), p.capacity().band().low(), p.capacity().band().high(),
                PromDuration.format(p.evaluationStep()));
    }

    static FleetView fleet(ReceiverCycle c, ReceiverPolicy policy) {
        ReceiverFleetSource.Observation f = c.fleet();
        Integer needed = c.samplesPerSecond().isPresent() ? policy.receiversNeeded(c.samplesPerSecond().getAsDouble()) : null;
        return new FleetView(f.statefulSet(), f.replicas().orElse(null), f.hpaOwned(), f.hpa().orElse(null),
                f.hpaMetrics().orElse(null), value(c.samplesPerSecond()), c.samplesError().orElse(null), needed, f.problem().orElse(null));
    }

    static RuleView rule(RuleStatus s, String dataProblem) {
        return new RuleView(s.name(), s.state().name(), value(s.currentValue()), value(s.provenValue()),
                s.rule().comparison().symbol(), s.threshold(), s.rule().condition(), PromDuration.format(s.rule().forDuration()),
                PromDuration.format(s.heldFor().withNanos(0)), s.heldFor().toSeconds(),
                s.heldSince().map(Instant::toString).orElse(null), s.rule().action().name(), s.rule().targetText(),
                s.rule().expression(), s.explanation(),
                dataProblem != null || !s.windowNotCovered() ? dataProblem : s.coverage().orElseThrow().shortfall());
    }

    static FailingQueueView failing(FailingQueues.Queue q) {
        String share = q.failingShare().isPresent()
                ? Math.round(Math.min(1.0, q.failingShare().getAsDouble()) * 100) + "% of samples tried were retried or dropped"
                : "samples retried or dropped and none sent";
        return new FailingQueueView(q.namespace(), q.pod(), q.instance(), q.remoteName(), q.url(), value(q.failingShare()),
                "endpoint failing: " + share + " (over 5m); its backlog is left out of the agent-queue rules: neither"
                        + " receivers nor agent shards can drain what the endpoint refuses. Check the remote-write URL, the"
                        + " receivers and the network (the shard tuner's /api/v1/agents says endpoint-failing too)");
    }

    static RecommendationView recommendation(ReceiverRecommendation r) {
        return new RecommendationView(r.action().name(), r.direction().name(), ReceiverActions.ref(r.target()), r.firedBy(),
                value(r.currentReplicas()), value(r.recommendedReplicas()), value(r.projectedUtilization()),
                r.hpaOwned(), r.reportOnly(), r.reason(), r.notes());
    }

    static SuppressedView suppressed(SuppressedAction s) {
        return new SuppressedView(s.action().name(), s.firedBy(), s.why());
    }

    static ActionView action(ActionOutcome o) {
        return new ActionView(o.action().name(), o.object(), o.change(), o.result().name(), o.detail());
    }

    static HashringView hashring(HashringStatus h) {
        return new HashringView(h.managed(), h.sync(), h.configMap(), h.key(), h.outcome().name(), h.inSync().orElse(null),
                h.desiredEndpoints(), h.currentEndpoints(), h.lastChange().map(Instant::toString).orElse(null),
                h.checkedAt().toString(), h.rolled(), h.message());
    }

    private static Double value(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }

    private static Integer value(OptionalInt v) {
        return v.isPresent() ? v.getAsInt() : null;
    }

    private static Double seconds(Duration d) {
        return d == null ? null : d.toNanos() / 1e9;
    }
}
