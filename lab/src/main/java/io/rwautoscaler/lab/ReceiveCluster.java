package io.rwautoscaler.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The Thanos Receive StatefulSet, its pods and its hashring, as seen from the agents.
 * <ul>
 *   <li><b>Pods.</b> Created for spec.replicas, in order (StatefulSet {@code OrderedReady}, Kubernetes' default:
 *       the next pod is created once the previous one is ready), or all at once with {@code Parallel}; ready {@code startupSeconds} after creation
 *       (default 60 s: a receiver replays its WAL and joins before its readiness probe passes). Scale-in deletes
 *       the highest ordinals at once.</li>
 *   <li><b>Capacity.</b> A receiver stores at most {@code samplesPerSecondPerReplica} (3,500 at 100 %, the
 *       receiver policy's figure); beyond it writes are refused with 503, which agents retry. Mean request latency
 *       is {@code sendLatency / (1 − u)} with u its utilization (capped at 0.9): an M/M/1 queue's growth.</li>
 *   <li><b>Hashring.</b> Writes are spread over the members of the hashring (the ConfigMap {@code hashrings.json})
 *       as each receiver last loaded it. A member that is not ready, deleted, or flushing refuses the share of
 *       series it owns (503). A new pod receives nothing until it is in the hashring the receivers loaded. A
 *       written ConfigMap reaches each pod after {@code hashringPropagationSeconds} × U(0.5, 1) (the kubelet's
 *       ConfigMap sync; the seeded RNG draws U); on loading a changed hashring a receiver flushes its TSDB and
 *       refuses writes for {@code hashringFlushSeconds} (thanos#3141: every receiver flushes on a hashring change;
 *       the series that move, {@link #movedFraction}, start new heads on their new owners).</li>
 *   <li><b>Roll on change</b> ({@code autoscaler.receivers.hashring.roll-on-change}, or the runbook's manual
 *       "rolling restart"): after a change each pod restarts in turn, highest ordinal first, each unready for its
 *       start-up time.</li>
 *   <li><b>CPU and memory</b> per pod rise linearly from idle to their at-capacity figure with utilization
 *       (defaults 50m → 840m and 600Mi → 1400Mi: 8,000 samples/s on 3 receivers is then 65 % of a 1000m request
 *       and 59 % of 2Gi, the runbook's sample HPA status "65%/70%, 60%/75%").</li>
 * </ul>
 */
public final class ReceiveCluster {

    /** One receive pod. */
    public static final class Pod {
        final int ordinal;
        final String name;
        final double createdAt;
        double readyAt;
        int hashringVersion;          // the hashring this pod loaded
        double flushUntil = Double.NEGATIVE_INFINITY;
        double utilization;
        double ingested;

        Pod(int ordinal, double createdAt, double startup, int hashringVersion) {
            this.ordinal = ordinal;
            this.name = "thanos-receive-" + ordinal;
            this.createdAt = createdAt;
            this.readyAt = createdAt + startup;
            this.hashringVersion = hashringVersion;
        }

        public int ordinal() {
            return ordinal;
        }

        public String name() {
            return name;
        }

        public boolean ready(double t) {
            return t >= readyAt;
        }

        public double createdAt() {
            return createdAt;
        }

        public double utilization() {
            return utilization;
        }
    }

    /** A hashring version: its members (ordinals) and when it was written. */
    record Ring(int version, List<Integer> members, double writtenAt, double[] arrivals) {
    }

    private final Scenario.Receivers cfg;
    private final SplittableRandom random;
    private final TreeMap<Integer, Pod> pods = new TreeMap<>();
    private final List<Ring> rings = new ArrayList<>();
    private int specReplicas;
    private int rollRemaining = 0;     // pods still to restart in the current roll (highest ordinal first)
    private int rollNext = -1;
    private double offered;
    private double accepted;
    private double latency;
    private int hashringChanges;

    public ReceiveCluster(Scenario.Receivers cfg, long seed) {
        this.cfg = cfg;
        this.random = new SplittableRandom(seed);
        this.specReplicas = cfg.replicas();
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < cfg.replicas(); i++) {
            members.add(i);
        }
        rings.add(new Ring(0, members, Double.NEGATIVE_INFINITY, new double[0]));
        for (int i = 0; i < cfg.replicas(); i++) {
            Pod p = new Pod(i, Double.NEGATIVE_INFINITY, 0, 0);
            p.readyAt = Double.NEGATIVE_INFINITY;
            pods.put(i, p);
        }
        latency = seconds(cfg.sendLatency());
    }

    public int specReplicas() {
        return specReplicas;
    }

    public void scale(int replicas) {
        specReplicas = replicas;
    }

    public List<Pod> pods() {
        return List.copyOf(pods.values());
    }

    public List<Pod> readyPods(double t) {
        return pods.values().stream().filter(p -> p.ready(t)).toList();
    }

    /** The members of the ConfigMap as last written. */
    public List<Integer> hashringMembers() {
        return rings.get(rings.size() - 1).members();
    }

    public int hashringChanges() {
        return hashringChanges;
    }

    public boolean rolling() {
        return rollRemaining > 0;
    }

    /** The StatefulSet controller and kubelet: pods come and go, restarts of a roll proceed. */
    public void reconcile(double t) {
        while (pods.size() > specReplicas) {
            pods.remove(pods.lastKey());
        }
        while (pods.size() < specReplicas) {
            boolean allReady = pods.values().stream().allMatch(p -> p.ready(t));
            if (!cfg.parallelPods() && !allReady) {
                break; // OrderedReady: the next pod once every earlier one is ready
            }
            int ordinal = pods.isEmpty() ? 0 : pods.lastKey() + 1;
            pods.put(ordinal, new Pod(ordinal, t, seconds(cfg.startup()), latestVersion()));
        }
        if (rollRemaining > 0 && pods.values().stream().allMatch(p -> p.ready(t))) {
            Pod p = pods.get(rollNext);
            if (p != null) {
                p.readyAt = t + seconds(cfg.startup());
                p.hashringVersion = latestVersion();
                p.flushUntil = Double.NEGATIVE_INFINITY;
            }
            rollRemaining--;
            rollNext--;
        }
        // Pods load hashring versions as the kubelet delivers them.
        for (Pod p : pods.values()) {
            for (int v = p.hashringVersion + 1; v <= latestVersion(); v++) {
                Ring r = rings.get(v);
                double arrival = r.arrivals().length > p.ordinal ? r.arrivals()[p.ordinal]
                        : r.writtenAt() + seconds(cfg.hashringPropagation());
                if (t >= arrival && t >= p.createdAt) {
                    p.hashringVersion = v;
                    if (p.ready(t) && seconds(cfg.hashringFlush()) > 0) {
                        p.flushUntil = t + seconds(cfg.hashringFlush());
                    }
                }
            }
        }
    }

    private int latestVersion() {
        return rings.size() - 1;
    }

    /** A new hashring ConfigMap is written (by the product's hashring sync, or by hand). */
    public void writeHashring(double t, List<Integer> members, boolean roll) {
        double[] arrivals = new double[Math.max(64, members.stream().mapToInt(Integer::intValue).max().orElse(0) + 1
                + pods.size())];
        for (int i = 0; i < arrivals.length; i++) {
            arrivals[i] = t + seconds(cfg.hashringPropagation()) * (0.5 + 0.5 * random.nextDouble());
        }
        rings.add(new Ring(rings.size(), List.copyOf(members), t, arrivals));
        hashringChanges++;
        if (roll) {
            rollRemaining = pods.size();
            rollNext = pods.isEmpty() ? -1 : pods.lastKey();
        }
    }

    /**
     * Phase 2 of a tick: the agents offer {@code samples} this tick; returns the share stored. Each ready pod routes
     * an equal part of the traffic by the hashring it loaded; each member takes up to its capacity.
     */
    public double ingest(double t, double samples, double dt) {
        offered = samples;
        // Routers grouped by the hashring version they loaded: the same split, computed once per version.
        Map<Integer, Integer> routersByVersion = new HashMap<>();
        int routers = 0;
        for (Pod p : pods.values()) {
            if (p.ready(t)) {
                routersByVersion.merge(p.hashringVersion, 1, Integer::sum);
                routers++;
            }
        }
        Map<Integer, Double> load = new HashMap<>();
        double refused = 0;
        if (routers == 0) {
            refused = samples;
        } else {
            double perRouter = samples / routers;
            for (var e : routersByVersion.entrySet()) {
                List<Integer> members = rings.get(e.getKey()).members();
                double share = perRouter * e.getValue();
                if (members.isEmpty()) {
                    refused += share;
                    continue;
                }
                double perMember = share / members.size();
                for (int m : members) {
                    load.merge(m, perMember, Double::sum);
                }
            }
        }
        double stored = 0;
        double weightedU = 0;
        for (Pod p : pods.values()) {
            p.utilization = 0;
            p.ingested = 0;
        }
        double cap = cfg.samplesPerSecondPerReplica() * dt;
        for (var e : load.entrySet()) {
            Pod p = pods.get(e.getKey());
            boolean available = p != null && p.ready(t) && t >= p.flushUntil;
            if (!available) {
                refused += e.getValue();
                continue;
            }
            double in = Math.min(e.getValue(), cap);
            refused += e.getValue() - in;
            p.ingested = in / dt;
            p.utilization = in / cap;
            stored += in;
            weightedU += p.utilization * in;
        }
        accepted = stored;
        double u = stored > 0 ? weightedU / stored : 0;
        latency = cfg.latencyGrows() ? seconds(cfg.sendLatency()) / (1 - Math.min(u, 0.9)) : seconds(cfg.sendLatency());
        return samples <= 0 ? 1 : stored / samples;
    }

    public double latency() {
        return latency;
    }

    /** 5xx per second this tick, counted in refused samples per maxSamplesPerSend-sized request. */
    public double refusedSamplesPerSecond(double dt) {
        return Math.max(0, offered - accepted) / dt;
    }

    public double storedPerSecond(double dt) {
        return accepted / dt;
    }

    /** Capacity of the members that can store now, samples/s. */
    public double availableCapacity(double t) {
        List<Integer> members = hashringMembers();
        double c = 0;
        for (int m : members) {
            Pod p = pods.get(m);
            if (p != null && p.ready(t) && t >= p.flushUntil) {
                c += cfg.samplesPerSecondPerReplica();
            }
        }
        return c;
    }

    public double cpuCores(Pod p) {
        return cfg.cpuIdleCores() + (cfg.cpuAtCapacityCores() - cfg.cpuIdleCores()) * Math.min(1, p.utilization);
    }

    public double memoryBytes(Pod p) {
        return cfg.memoryIdleBytes() + (cfg.memoryAtCapacityBytes() - cfg.memoryIdleBytes()) * Math.min(1, p.utilization);
    }

    public Scenario.Receivers config() {
        return cfg;
    }

    /**
     * The share of series that change owner when the hashring goes from {@code from} to {@code to} members: with
     * hashmod (hash mod n) those whose residues differ, counted over lcm(n, m); with ketama (consistent hashing)
     * |m − n| / max(m, n).
     */
    public static double movedFraction(String algorithm, int from, int to) {
        if (from == to || from <= 0 || to <= 0) {
            return from == to ? 0 : 1;
        }
        if (algorithm.equals("ketama")) {
            return (double) Math.abs(to - from) / Math.max(to, from);
        }
        long lcm = (long) from / gcd(from, to) * to;
        long same = 0;
        for (long r = 0; r < lcm; r++) {
            if (r % from == r % to) {
                same++;
            }
        }
        return 1 - (double) same / lcm;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static double seconds(java.time.Duration d) {
        return d.toNanos() / 1e9;
    }
}
