package io.rwautoscaler.bench;

import io.rwautoscaler.core.model.PodInfo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the {@link AgentFleet} for the HTTP benchmark: an OpenMetrics file for
 * {@code promtool tsdb create-blocks-from openmetrics} (the 10,000 queue series and an {@code up} series per pod,
 * which is the local-mode pod inventory), and the request paths the load cycles over.
 *
 * <pre>java -cp benchmarks.jar io.rwautoscaler.bench.FleetFiles DIR FROM_EPOCH_S TO_EPOCH_S STEP_S</pre>
 *
 * Files: {@code fleet.om}; {@code app-pods.paths} (custom metrics API, one agent pod per request);
 * {@code prom-pods.paths} (the same question per request as a live PromQL query, in the same order);
 * {@code app-mix.paths} (the API's request forms in an HPA-like mix).
 */
public final class FleetFiles {

    private FleetFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: FleetFiles DIR FROM_EPOCH_S TO_EPOCH_S STEP_S");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long from = Long.parseLong(args[1]);
        long to = Long.parseLong(args[2]);
        long step = Long.parseLong(args[3]);
        Files.createDirectories(dir);
        AgentFleet fleet = new AgentFleet();
        writeOpenMetrics(fleet, dir.resolve("fleet.om"), from, to, step);

        List<PodInfo> agents = fleet.agentPods();
        List<String> app = new ArrayList<>();
        List<String> prom = new ArrayList<>();
        List<String> mix = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            // A stride prime to the pod count visits every pod once, namespaces interleaved as HPAs' requests are.
            PodInfo p = agents.get((int) ((i * 7919L) % agents.size()));
            app.add(customPath("v1beta2", p.namespace(), p.name(), ""));
            prom.add("/api/v1/query?query=" + encode("sum by (pod) (" + AgentFleet.PENDING + "{namespace=\""
                    + p.namespace() + "\",pod=~\"" + p.name() + "\"})"));
            // Mix: 70 % v1beta2 one pod, 10 % v1beta1 one pod, 10 % pods/* by selector, 5 % external by selector,
            // 5 % the receivers' share (the runbook's HPA).
            int kind = i % 20;
            if (kind < 14) {
                mix.add(customPath("v1beta2", p.namespace(), p.name(), ""));
            } else if (kind < 16) {
                mix.add(customPath("v1beta1", p.namespace(), p.name(), ""));
            } else if (kind < 18) {
                mix.add(customPath("v1beta2", p.namespace(), "*", "?labelSelector=" + encode("app=prometheus-agent")));
            } else if (kind < 19) {
                mix.add("/apis/external.metrics.k8s.io/v1beta1/namespaces/" + p.namespace() + "/" + AgentFleet.SERVED
                        + "?labelSelector=" + encode("pod=" + p.name() + ",remote_name in (thanos-a,thanos-b)"));
            } else {
                mix.add(customPath("v1beta2", AgentFleet.RECEIVER_NAMESPACE, "*",
                        "?labelSelector=" + encode("app=thanos-receive")));
            }
        }
        Files.write(dir.resolve("app-pods.paths"), app);
        Files.write(dir.resolve("prom-pods.paths"), prom);
        Files.write(dir.resolve("app-mix.paths"), mix);
        System.out.printf("wrote %d queue series, %d up series, %d paths per list to %s%n",
                fleet.queues().size(), fleet.pods().size(), app.size(), dir);
    }

    private static String customPath(String version, String ns, String pod, String query) {
        return "/apis/custom.metrics.k8s.io/" + version + "/namespaces/" + ns + "/pods/" + pod + "/" + AgentFleet.SERVED
                + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void writeOpenMetrics(AgentFleet fleet, Path file, long from, long to, long step) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("# TYPE " + AgentFleet.PENDING + " gauge\n");
            for (AgentFleet.Queue q : fleet.queues()) {
                String series = AgentFleet.PENDING + labels(q.labels());
                String value = " " + (long) q.pending() + " ";
                for (long t = from; t <= to; t += step) {
                    w.write(series + value + t + "\n");
                }
            }
            w.write("# TYPE up gauge\n");
            for (PodInfo p : fleet.pods()) {
                String series = "up" + labels(p.labels());
                String value = p.ready() ? " 1 " : " 0 ";
                for (long t = from; t <= to; t += step) {
                    w.write(series + value + t + "\n");
                }
            }
            w.write("# EOF\n");
        }
    }

    private static String labels(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
