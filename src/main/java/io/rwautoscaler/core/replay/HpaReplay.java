package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.hpa.HpaController;
import io.rwautoscaler.core.hpa.HpaDecision;
import io.rwautoscaler.core.hpa.HpaHistory;
import io.rwautoscaler.core.hpa.MetricReadings;
import io.rwautoscaler.core.hpa.MetricSelector;
import io.rwautoscaler.core.hpa.MetricSpec;
import io.rwautoscaler.core.hpa.MetricUnavailableException;
import io.rwautoscaler.core.hpa.ObjectReference;
import io.rwautoscaler.core.hpa.Pod;
import io.rwautoscaler.core.hpa.PodMetric;
import io.rwautoscaler.core.hpa.Scale;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receivers' HorizontalPodAutoscaler replayed with {@code core.hpa} (the port of the upstream controller) on a
 * fleet of its own: it starts from the replicas the cluster had and follows the HPA's own rescales, while the load
 * comes from history. What each pod reports is rescaled like the policy's per-receiver figures: a served metric
 * spread over the receivers is its total ÷ the HPA's replicas, a utilization is the recorded one × recorded ÷ the
 * HPA's replicas (load conserved). Synced once per point of the fine grid (the receiver policy's evaluation step);
 * the controller itself syncs every 15 s, so the HPA here reacts up to one fine step later than a real one.
 *
 * <p>New pods are Running and Ready from the sync that adds them (no start-up time); scale-down removes the highest
 * ordinals, as a StatefulSet does.
 */
final class HpaReplay {

    static final String RECEIVER_CONTAINER = "receiver";
    /** Requests every replayed pod has: any value works, the HPA compares usage with it as a ratio. */
    static final long CPU_REQUEST_MILLI = 1_000;
    static final long MEMORY_REQUEST_MILLI = 1_000_000_000L;
    private static final Duration METRIC_WINDOW = Duration.ofSeconds(30);

    /** The HPA's replicas and what it wanted at each decision step (NaN before the first sync). */
    record Columns(double[] replicas, double[] wanted) {
    }

    record Outcome(Columns columns, HpaReplayResult result) {
    }

    private HpaReplay() {
    }

    static Outcome run(HpaSetup setup, HpaFigures figures, ReceiverHistory receivers, ReplayWindow window,
                       int initialReplicas, double[] policyReplicas, java.util.function.BooleanSupplier cancelled) {
        Grid fine = receivers.grid();
        Grid steps = Grid.of(window);
        double[] replicasColumn = steps.empty();
        double[] wantedColumn = steps.empty();
        HpaController controller = new HpaController(setup.settings());
        String container = setup.spec().metrics().stream()
                .filter(m -> m instanceof MetricSpec.ContainerResource).map(m -> ((MetricSpec.ContainerResource) m).container())
                .findFirst().orElse(RECEIVER_CONTAINER);
        List<String> notes = new ArrayList<>();
        Map<String, Integer> failures = new LinkedHashMap<>();

        int replicas = Math.max(initialReplicas, 0);
        Instant longAgo = window.from().minus(Duration.ofDays(1));
        List<Pod> pods = new ArrayList<>();
        resize(pods, replicas, longAgo, container);
        HpaHistory memory = HpaHistory.NEW;
        List<HpaReplayResult.Rescale> events = new ArrayList<>();
        int syncs = 0;
        int failed = 0;
        double wanted = Double.NaN;

        int k = fine.atOrAfter(window.from().toEpochMilli());
        for (int i = 0; i < steps.size(); i++) {
            long stepMillis = steps.millis(i);
            for (; k < fine.size() && fine.millis(k) <= stepMillis; k++) {
                if (cancelled.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException("HPA replay stopped at " + fine.instant(k));
                }
                Instant now = fine.instant(k);
                Readings readings = new Readings(figures, receivers.recordedReplicas()[k], k, replicas, pods, now);
                HpaDecision d = controller.sync(setup.spec(), Scale.of(replicas), List.copyOf(pods), readings, memory, now);
                syncs++;
                memory = d.history();
                wanted = d.metricDesiredReplicas().isPresent() ? d.metricDesiredReplicas().getAsInt() : Double.NaN;
                if (d.error().isPresent()) {
                    failed++;
                    failures.merge(d.error().get(), 1, Integer::sum);
                }
                if (d.rescale() && d.desiredReplicas() != replicas) {
                    events.add(new HpaReplayResult.Rescale(now, replicas, d.desiredReplicas(), d.eventMessage().orElse("")));
                    replicas = d.desiredReplicas();
                    resize(pods, replicas, now, container);
                }
            }
            replicasColumn[i] = syncs == 0 ? Double.NaN : replicas;
            wantedColumn[i] = wanted;
        }

        double stepHours = window.step().toMillis() / 3_600_000.0;
        double hours = 0;
        for (double r : replicasColumn) {
            hours += Double.isFinite(r) ? r * stepHours : 0;
        }
        notes.add("HPA " + setup.name() + " replayed with core.hpa, synced every "
                + fine.step().toSeconds() + "s (the receiver policy's evaluation step; the controller syncs every 15s),"
                + " from the replicas the cluster had at the start; its pods report the served metric's total ÷ its own"
                + " replicas and the recorded utilization × recorded ÷ its replicas; new pods are ready at once");
        if (failed > 0) {
            int shown = 0;
            for (Map.Entry<String, Integer> f : failures.entrySet()) {
                if (shown++ == 3) {
                    notes.add("HPA: " + (failures.size() - 3) + " more distinct metric errors");
                    break;
                }
                notes.add("HPA: " + f.getValue() + " of " + syncs + " syncs could not read every metric (upstream then"
                        + " scales up on the metrics it has, and never down): " + f.getKey());
            }
        }
        figures.errors().forEach((what, why) -> notes.add("HPA figure " + what + ": " + why));
        List<HpaReplayResult.Difference> differences = differences(steps, policyReplicas, replicasColumn);
        return new Outcome(new Columns(replicasColumn, wantedColumn), new HpaReplayResult(Optional.of(setup.name()),
                Optional.empty(), syncs, failed, events, hours, differences, notes));
    }

    /** A StatefulSet's pods: ordinals 0..n-1; new ones start (Running, Ready) at {@code at}. */
    private static void resize(List<Pod> pods, int n, Instant at, String container) {
        while (pods.size() > n) {
            pods.remove(pods.size() - 1);
        }
        while (pods.size() < n) {
            pods.add(Pod.running("receiver-" + pods.size(), at, List.of(Pod.Container.of(container,
                    Map.of("cpu", CPU_REQUEST_MILLI, "memory", MEMORY_REQUEST_MILLI)))));
        }
    }

    static List<HpaReplayResult.Difference> differences(Grid steps, double[] policy, double[] hpa) {
        List<HpaReplayResult.Difference> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= steps.size(); i++) {
            boolean differs = i < steps.size() && Double.isFinite(hpa[i]) && Double.isFinite(policy[i])
                    && Math.round(hpa[i]) != Math.round(policy[i]);
            if (differs && start < 0) {
                start = i;
            } else if (!differs && start >= 0) {
                int pMin = Integer.MAX_VALUE;
                int pMax = Integer.MIN_VALUE;
                int hMin = Integer.MAX_VALUE;
                int hMax = Integer.MIN_VALUE;
                int more = 0;
                for (int j = start; j < i; j++) {
                    int p = (int) Math.round(policy[j]);
                    int h = (int) Math.round(hpa[j]);
                    pMin = Math.min(pMin, p);
                    pMax = Math.max(pMax, p);
                    hMin = Math.min(hMin, h);
                    hMax = Math.max(hMax, h);
                    more += p > h ? 1 : -1;
                }
                out.add(new HpaReplayResult.Difference(steps.instant(start), steps.instant(i - 1), pMin, pMax, hMin, hMax,
                        more >= 0 ? "the policy would have run more receivers than the HPA"
                                : "the HPA would have run more receivers than the policy"));
                start = -1;
            }
        }
        return out;
    }

    /** The metrics client of one sync, over history rescaled to the HPA's fleet. */
    private static final class Readings implements MetricReadings {
        private final HpaFigures figures;
        private final double recorded;
        private final int k;
        private final int replicas;
        private final List<Pod> pods;
        private final Instant now;

        Readings(HpaFigures figures, double recorded, int k, int replicas, List<Pod> pods, Instant now) {
            this.figures = figures;
            this.recorded = recorded;
            this.k = k;
            this.replicas = replicas;
            this.pods = pods;
            this.now = now;
        }

        /** Recorded ÷ the HPA's replicas; where the real replicas are unknown the figure is taken as recorded. */
        private double factor() {
            return Double.isFinite(recorded) && recorded > 0 && replicas > 0 ? recorded / replicas : 1.0;
        }

        @Override
        public Map<String, PodMetric> resource(String resource, Optional<String> container) {
            double[] utilization;
            long request;
            if (resource.equals("cpu")) {
                utilization = figures.cpuUtilization();
                request = CPU_REQUEST_MILLI;
            } else if (resource.equals("memory")) {
                utilization = figures.memoryUtilization();
                request = MEMORY_REQUEST_MILLI;
            } else {
                throw new MetricUnavailableException("the replay reads cpu and memory only, not " + resource);
            }
            double u = utilization[k];
            if (!Double.isFinite(u)) {
                throw new MetricUnavailableException("no receiver " + resource + " utilization recorded at " + now);
            }
            return perPod(Math.round(u * factor() * request));
        }

        @Override
        public Map<String, PodMetric> pods(String metricName, Optional<MetricSelector> selector) {
            double[] total = figures.podsTotals().get(metricName);
            if (total == null) {
                throw new MetricUnavailableException("pods metric " + metricName + " is not one this service serves"
                        + " spread over the receivers, so the replay cannot read it");
            }
            if (!Double.isFinite(total[k])) {
                throw new MetricUnavailableException("no " + metricName + " recorded at " + now);
            }
            return perPod(Math.round(total[k] / Math.max(replicas, 1) * 1000));
        }

        @Override
        public long object(ObjectReference describedObject, String metricName, Optional<MetricSelector> selector) {
            throw new MetricUnavailableException("object metrics are not replayed (" + metricName + " on "
                    + describedObject.kind() + "/" + describedObject.name() + ")");
        }

        @Override
        public List<Long> external(String metricName, Optional<MetricSelector> selector) {
            double[] total = figures.externalTotals().get(metricName);
            if (total == null) {
                throw new MetricUnavailableException("external metric " + metricName + " is not one this service"
                        + " serves, so the replay cannot read it");
            }
            if (!Double.isFinite(total[k])) {
                throw new MetricUnavailableException("no " + metricName + " recorded at " + now);
            }
            return List.of(Math.round(total[k] * 1000));
        }

        private Map<String, PodMetric> perPod(long milli) {
            Map<String, PodMetric> out = new HashMap<>();
            for (Pod p : pods) {
                out.put(p.name(), new PodMetric(milli, now, METRIC_WINDOW));
            }
            return out;
        }
    }
}
