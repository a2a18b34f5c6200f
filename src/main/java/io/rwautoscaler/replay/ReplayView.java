package io.rwautoscaler.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rwautoscaler.core.model.PromDuration;
import io.rwautoscaler.core.replay.HpaReplayResult;
import io.rwautoscaler.core.replay.ReplayDecision;
import io.rwautoscaler.core.replay.ReplayResult;
import io.rwautoscaler.core.replay.ReplayTimeline;
import io.rwautoscaler.core.replay.ReplayTotals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/replay}: the wire shape of a replay, like the other {@code /api/v1} reports ({@code kind},
 * {@code apiVersion} first). Unknown figures are {@code null}, never 0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayView(String kind, String apiVersion, Window window, Policy policy, Fleet fleet, Hpa hpa,
                         int queries, String queriesNote, double tookSeconds, double readingSeconds, int queues, Totals totals,
                         List<Decision> decisions, Timeline timeline, List<String> notes) {

    public static final String KIND = "ReplayReport";
    public static final String API_VERSION = "rwa/v1";

    public record Window(String from, String to, String step, int steps) {
    }

    public record Policy(String source, boolean valid, String lastError, String mode) {
    }

    /**
     * @param replayed what the replayed fleet is: it follows the replay's own decisions while the load comes from
     *                 history, next to the replicas the cluster really had
     */
    public record Fleet(int initialReplicas, String replayed) {
    }

    /**
     * The receivers' HPA replayed with the port of the upstream controller on its own fleet, next to the policy's
     * fleet and the real one; when {@code available} is false, {@code note} says why.
     */
    public record Hpa(boolean available, String name, String note, Integer syncs, Integer failedSyncs,
                      Double replicaHours, List<Rescale> rescales, List<Difference> versusPolicy, List<String> notes) {
    }

    public record Rescale(String time, int from, int to, String message) {
    }

    /** A period when the policy would have scaled and the HPA did not (or the reverse). */
    public record Difference(String from, String to, int policyMin, int policyMax, int hpaMin, int hpaMax,
                             String direction) {
    }

    public record Totals(Map<String, Integer> decisions, Map<String, Integer> applied, double replayedReplicaHours,
                         double recordedReplicaHours, double recordedCoverage, List<Disagreement> disagreements) {
    }

    public record Disagreement(String from, String to, int replayedMin, int replayedMax, Double recordedMin,
                               Double recordedMax, String direction) {
    }

    public record Decision(String time, String loop, String target, String action, String amount, List<String> rules,
                           Map<String, Double> figures, String reason, boolean applyWouldAct, String outcome,
                           String why) {
    }

    /** Column-wise: {@code time[i]} and every column's {@code [i]} describe step i. */
    public record Timeline(List<String> time, Map<String, List<Double>> columns) {
    }

    static ReplayView of(ReplayService.Run run) {
        ReplayResult r = run.result();
        var w = r.window();
        List<Decision> decisions = new ArrayList<>(r.decisions().size());
        for (ReplayDecision d : r.decisions()) {
            decisions.add(new Decision(d.at().toString(), d.loop(), d.target(), d.action(), d.amount(), d.rules(),
                    d.figures(), d.reason(), d.outcome().acts(), d.outcome().wireName(), d.why()));
        }
        ReplayTotals t = r.totals();
        List<Disagreement> periods = t.disagreements().stream().map(p -> new Disagreement(p.from().toString(),
                p.to().toString(), p.replayedMin(), p.replayedMax(), finite(p.recordedMin()), finite(p.recordedMax()),
                p.direction())).toList();
        ReplayTimeline tl = r.timeline();
        List<String> times = new ArrayList<>(tl.grid().size());
        for (int i = 0; i < tl.grid().size(); i++) {
            times.add(tl.grid().instant(i).toString());
        }
        Map<String, List<Double>> columns = new LinkedHashMap<>();
        tl.columns().forEach((name, values) -> {
            List<Double> list = new ArrayList<>(values.length);
            for (double v : values) {
                list.add(finite(v));
            }
            columns.put(name, list);
        });
        var policy = run.policy();
        return new ReplayView(KIND, API_VERSION,
                new Window(w.from().toString(), w.to().toString(), PromDuration.format(w.step()), w.steps()),
                new Policy(policy.source(), policy.valid(), policy.lastError().orElse(null), "apply, as the leader"),
                new Fleet(r.initialReplicas(), "the replayed fleet starts from the replicas the cluster had and then"
                        + " follows the replay's own decisions (apply mode, within cooldowns and min/max); the load comes"
                        + " from history, so per-receiver figures are rescaled by recorded ÷ replayed replicas (timeline"
                        + " columns recorded_replicas and replayed_replicas side by side)"),
                hpa(r.hpa()),
                run.queries(), "range queries for the whole window: one per rule expression, samples/s and replicas at"
                        + " the policy's evaluation step, one per shard figure and receiver-health query at the replay"
                        + " step, each cut into chunks of at most 11,000 points; independent of the number of steps and"
                        + " queues",
                Math.round(run.took().toMillis() / 10.0) / 100.0, Math.round(run.reading().toMillis() / 10.0) / 100.0,
                r.queues(),
                new Totals(t.decisions(), t.applied(), round(t.replayedReplicaHours()), round(t.recordedReplicaHours()),
                        round(t.recordedCoverage()), periods),
                decisions, new Timeline(times, columns), r.notes());
    }

    private static Hpa hpa(HpaReplayResult h) {
        if (!h.available()) {
            return new Hpa(false, null, h.absentBecause().orElse("") + "; recorded_replicas are what the cluster ran",
                    null, null, null, null, null, null);
        }
        return new Hpa(true, h.name().get(), "the replicas the HPA (as the cluster has it now) would have set with the"
                + " served metrics, on its own fleet: timeline columns hpa_replicas (what it would have set), hpa_wanted"
                + " (what its metrics asked for before stabilization and rate limits) and queue_per_receiver_hpa, next to"
                + " replayed_replicas (the policy) and recorded_replicas (the cluster)", h.syncs(), h.failedSyncs(),
                round(h.replicaHours()),
                h.events().stream().map(e -> new Rescale(e.at().toString(), e.from(), e.to(), e.message())).toList(),
                h.versusPolicy().stream().map(d -> new Difference(d.from().toString(), d.to().toString(), d.policyMin(),
                        d.policyMax(), d.hpaMin(), d.hpaMax(), d.direction())).toList(), h.notes());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
