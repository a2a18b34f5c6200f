package io.rwautoscaler.bench;

import io.rwautoscaler.core.model.PodInfo;
import io.rwautoscaler.core.model.Sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The synthetic cluster both the JMH snapshot benchmarks and the HTTP load use: 100 tenant namespaces with 25
 * Prometheus agent pods each, every agent with 4 remote-write queues, so 10,000
 * {@code prometheus_remote_storage_samples_pending} series; plus 10 Thanos Receive pods in {@code monitoring}.
 * Labels are what the Kubernetes service discovery and Prometheus put on such series. Deterministic (fixed seed).
 */
public final class AgentFleet {

    public static final String PENDING = "prometheus_remote_storage_samples_pending";
    public static final String SERVED = "prometheus_remote_storage_queue_length";
    public static final int NAMESPACES = 100;
    public static final int AGENTS_PER_NAMESPACE = 25;
    public static final List<String> REMOTES = List.of("thanos-a", "thanos-b", "long-term", "dr-replica");
    public static final int RECEIVERS = 10;
    public static final String RECEIVER_NAMESPACE = "monitoring";

    /** One agent queue series. */
    public record Queue(String namespace, String pod, Map<String, String> labels, double pending) {
    }

    private final List<Queue> queues = new ArrayList<>();
    private final List<PodInfo> pods = new ArrayList<>();

    public AgentFleet() {
        SplittableRandom random = new SplittableRandom(42);
        for (int n = 0; n < NAMESPACES; n++) {
            String ns = namespace(n);
            for (int a = 0; a < AGENTS_PER_NAMESPACE; a++) {
                String pod = "prometheus-agent-" + a;
                Map<String, String> target = new LinkedHashMap<>();
                target.put("cluster", "bench");
                target.put("namespace", ns);
                target.put("pod", pod);
                target.put("app", "prometheus-agent");
                target.put("job", "prometheus-agent");
                target.put("instance", "10.1." + n + "." + a + ":9090");
                // 2 % of the agents are down: readiness matters to selectors on pods.
                pods.add(new PodInfo(ns, pod, target, random.nextInt(50) != 0));
                for (String remote : REMOTES) {
                    Map<String, String> labels = new LinkedHashMap<>(target);
                    labels.put("remote_name", remote);
                    labels.put("url", "http://" + remote + ".monitoring.svc:19291/api/v1/receive");
                    queues.add(new Queue(ns, pod, labels, pending(random)));
                }
            }
        }
        for (int r = 0; r < RECEIVERS; r++) {
            Map<String, String> target = new LinkedHashMap<>();
            target.put("cluster", "bench");
            target.put("namespace", RECEIVER_NAMESPACE);
            target.put("pod", "thanos-receive-" + r);
            target.put("app", "thanos-receive");
            target.put("job", "thanos-receive");
            target.put("instance", "10.2.0." + r + ":10902");
            pods.add(new PodInfo(RECEIVER_NAMESPACE, "thanos-receive-" + r, target, r != RECEIVERS - 1));
        }
    }

    /** Most queues near empty, one in ten backed up (5k–20k), a few exactly 0: what a fleet looks like. */
    private static double pending(SplittableRandom random) {
        int kind = random.nextInt(100);
        if (kind < 5) {
            return 0;
        }
        if (kind < 90) {
            return random.nextInt(1, 600);
        }
        return random.nextInt(5_000, 20_000);
    }

    public static String namespace(int n) {
        return String.format("tenant-%02d", n);
    }

    public List<Queue> queues() {
        return queues;
    }

    public List<PodInfo> pods() {
        return pods;
    }

    public List<PodInfo> agentPods() {
        return pods.subList(0, NAMESPACES * AGENTS_PER_NAMESPACE);
    }

    /** The series as the snapshot refresher stores them (values sampled at {@code at}). */
    public List<Sample> samples(Instant at) {
        List<Sample> out = new ArrayList<>(queues.size());
        for (Queue q : queues) {
            out.add(new Sample(q.labels(), q.pending(), at));
        }
        return out;
    }
}
