package io.rwautoscaler.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures the issue asks for, per strategy, computed from a run's recorded points.
 *
 * @param absorbedSeconds   from the load change to the start of the first 5-minute period throughout which every
 *                          agent's pending stays below 5,000 and the lag below 60 s, counted from the first
 *                          point after the change where either was exceeded (0 when neither ever was); null
 *                          when no such period starts before the end
 * @param replicaChangesUp  spec.replicas increases
 * @param utilizationAfter  mean receiver utilization (samples stored / (ready receivers × capacity)) over the last
 *                          30 minutes
 * @param dominatingDelay   the longest phase between the load change and absorption (see {@link #phases})
 * @param phases            seconds spent in: detection (load change → first scale-up decision), scaling steps
 *                          (→ the decision that brought enough capacity), pod start (→ its pods ready), hashring
 *                          (→ the receivers ingest with them), drain (→ absorbed)
 */
public record Outcome(Double absorbedSeconds, double maxLagSeconds, double samplesLost, int replicaChanges,
                      int replicaChangesUp, int replicaChangesDown, int maxReplicas, double utilizationAfter,
                      double receiverPodHours, String dominatingDelay, Map<String, Double> phases,
                      double maxPending) {

    public static final double PENDING_LIMIT = 5000;
    public static final double LAG_LIMIT = 60;
    public static final double QUIET_PERIOD = 300;

    public static Outcome of(Simulation.Run run) {
        List<Simulation.Point> pts = run.points();
        double t0 = run.phases().loadChange();
        double firstBad = Double.NaN;
        for (Simulation.Point p : pts) {
            if (p.t() >= t0 && bad(p)) {
                firstBad = p.t();
                break;
            }
        }
        Double absorbed = null;
        if (Double.isNaN(firstBad)) {
            absorbed = 0.0;
        } else {
            double start = Double.NaN;
            for (Simulation.Point p : pts) {
                if (p.t() < firstBad) {
                    continue;
                }
                if (bad(p)) {
                    start = Double.NaN;
                } else if (Double.isNaN(start)) {
                    start = p.t();
                }
                if (!Double.isNaN(start) && p.t() - start >= QUIET_PERIOD) {
                    absorbed = start - t0;
                    break;
                }
            }
        }
        double maxLag = pts.stream().mapToDouble(Simulation.Point::lag).max().orElse(0);
        double maxPending = pts.stream().mapToDouble(Simulation.Point::pendingMax).max().orElse(0);
        int up = 0;
        int down = 0;
        for (double[] c : run.replicaChanges()) {
            if (c[2] > c[1]) {
                up++;
            } else if (c[2] < c[1]) {
                down++;
            }
        }
        int maxReplicas = pts.stream().mapToInt(Simulation.Point::replicas).max().orElse(0);
        double end = pts.isEmpty() ? 0 : pts.get(pts.size() - 1).t();
        double utilAfter = pts.stream().filter(p -> p.t() > end - 1800).mapToDouble(Simulation.Point::utilization)
                .average().orElse(0);

        Map<String, Double> phases = new LinkedHashMap<>();
        Simulation.Phases ph = run.phases();
        if (absorbed != null && absorbed > 0 && !Double.isNaN(ph.sufficientIngesting())) {
            double absorbedAt = t0 + absorbed;
            double first = Double.isNaN(ph.firstDecision()) ? ph.sufficientDecision() : ph.firstDecision();
            phases.put("detection", Math.max(0, Math.min(first, absorbedAt) - t0));
            phases.put("scaling steps", Math.max(0, Math.min(ph.sufficientDecision(), absorbedAt) - Math.min(first, absorbedAt)));
            phases.put("pod start", Math.max(0, Math.min(ph.sufficientReady(), absorbedAt) - Math.min(ph.sufficientDecision(), absorbedAt)));
            phases.put("hashring", Math.max(0, Math.min(ph.sufficientIngesting(), absorbedAt) - Math.min(ph.sufficientReady(), absorbedAt)));
            phases.put("drain", Math.max(0, absorbedAt - Math.min(ph.sufficientIngesting(), absorbedAt)));
        }
        String never = run.peakLoad() > run.capacityCeiling()
                ? String.format(java.util.Locale.ROOT, "capacity: load %.0f/s > maxReplicas × capacity = %.0f/s",
                run.peakLoad(), run.capacityCeiling())
                : "never absorbed within the run";
        String dominating = phases.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(absorbed == null ? never : "none (no backlog)");
        return new Outcome(absorbed, maxLag, run.lost(), up + down, up, down, maxReplicas, utilAfter,
                run.podSeconds() / 3600.0, dominating, phases, maxPending);
    }

    private static boolean bad(Simulation.Point p) {
        return p.pendingMax() >= PENDING_LIMIT || p.lag() >= LAG_LIMIT;
    }
}
