package io.rwautoscaler.testsupport;

import io.rwautoscaler.testsupport.PrometheusProcess.Mode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Real Prometheus processes for the shard tuner: agent "slow" writes to a receiver that takes {@link #SLOW_DELAY}
 * per request, with maxShards {@link #SLOW_MAX_SHARDS}, so it soon runs at its max with shards_desired above; agent
 * "failing" writes to a receiver that answers 500, so its queue fills and every send is retried. A scraper labels
 * them {@code namespace=monitoring}, {@code pod=prom-agent-slow-0|prom-agent-failing-0}. Templates:
 * {@code deploy/local/prometheus/agent-tuned.yml}, {@code scraper-tuned.yml}. Start and stop it around one class.
 */
public final class ShardTunerPipeline implements AutoCloseable {

    public static final String NAMESPACE = "monitoring";
    public static final String SLOW_POD = "prom-agent-slow-0";
    public static final String FAILING_POD = "prom-agent-failing-0";
    public static final Duration SLOW_DELAY = Duration.ofSeconds(1);
    public static final int SLOW_MAX_SHARDS = 2;
    public static final int SLOW_MAX_SAMPLES_PER_SEND = 200;
    public static final int SLOW_CAPACITY = 2000;
    public static final int FAILING_MAX_SHARDS = 4;
    public static final int FAILING_MAX_SAMPLES_PER_SEND = 1000;
    public static final int FAILING_CAPACITY = 10000;

    private final StubReceiver receiver;
    private final List<PrometheusProcess> processes = new ArrayList<>();
    private final PrometheusProcess scraper;

    private ShardTunerPipeline() {
        PrometheusBinary.require();
        receiver = new StubReceiver(SLOW_DELAY);
        int[] ports = PrometheusProcess.freePorts(3); // slow, failing, scraper
        Map<String, Object> base = Map.of("SLOW_AGENT_PORT", ports[0], "FAILING_AGENT_PORT", ports[1],
                "SCRAPER_PORT", ports[2]);
        processes.add(agent("slow", ports[0], receiver.slowUrl(), SLOW_CAPACITY, SLOW_MAX_SAMPLES_PER_SEND,
                SLOW_MAX_SHARDS, base));
        processes.add(agent("failing", ports[1], receiver.failingUrl(), FAILING_CAPACITY,
                FAILING_MAX_SAMPLES_PER_SEND, FAILING_MAX_SHARDS, base));
        scraper = new PrometheusProcess("tuned-scraper", Mode.SERVER, ports[2],
                ConfigTemplate.render("scraper-tuned.yml", base));
        processes.add(scraper);
    }

    /** Starts everything, or nothing: a failed start stops what was started. */
    public static ShardTunerPipeline start() {
        ShardTunerPipeline p = new ShardTunerPipeline();
        try {
            p.processes.forEach(PrometheusProcess::start);
        } catch (RuntimeException e) {
            try {
                p.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return p;
    }

    private static PrometheusProcess agent(String name, int port, String url, int capacity, int maxSamplesPerSend,
                                           int maxShards, Map<String, Object> base) {
        Map<String, Object> values = new HashMap<>(base);
        values.putAll(Map.of("AGENT_NAME", name, "AGENT_PORT", port, "REMOTE_WRITE_URL", url, "CAPACITY", capacity,
                "MAX_SAMPLES_PER_SEND", maxSamplesPerSend, "MAX_SHARDS", maxShards));
        return new PrometheusProcess("tuned-agent-" + name, Mode.AGENT, port,
                ConfigTemplate.render("agent-tuned.yml", values));
    }

    public String scraperUrl() {
        return scraper.baseUrl();
    }

    public StubReceiver receiver() {
        return receiver;
    }

    public List<Series> query(String promql) {
        return InstantQuery.run(scraperUrl(), promql);
    }

    public String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        processes.forEach(p -> b.append(p.logTail(lines)));
        return b.toString();
    }

    /** Kills every process by PID (agents with failing remote write ignore SIGTERM) and stops the receiver. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (PrometheusProcess p : processes) {
            try {
                p.stop();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        receiver.close();
        if (first != null) {
            throw first;
        }
    }
}
