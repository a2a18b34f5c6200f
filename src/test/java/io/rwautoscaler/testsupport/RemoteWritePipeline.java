package io.rwautoscaler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.rwautoscaler.testsupport.PrometheusProcess.Mode;

/**
 * A real remote-write pipeline on loopback, from the same templates as {@code deploy/local/demo.sh}:
 * a receiver (stands in for Thanos Receive), agent "healthy" writing to it, agent "broken" writing
 * to a port where nothing listens, and the scraper the product queries, which labels the agents
 * {@code namespace=monitoring}, {@code pod=prometheus-agent-healthy-0|broken-0}, {@code app}, {@code job}.
 *
 * <pre>
 * &#64;RegisterExtension
 * static RemoteWritePipeline pipeline = new RemoteWritePipeline();            // shared by all classes
 * static RemoteWritePipeline pipeline = RemoteWritePipeline.dedicated();      // own processes, to break
 * </pre>
 */
public final class RemoteWritePipeline implements BeforeAllCallback, AfterAllCallback {

    public static final String NAMESPACE = "monitoring";
    public static final String HEALTHY_AGENT_POD = "prometheus-agent-healthy-0";
    public static final String BROKEN_AGENT_POD = "prometheus-agent-broken-0";
    public static final String RECEIVER_POD = "thanos-receive-0";
    public static final String SAMPLES_PENDING = "prometheus_remote_storage_samples_pending";

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RemoteWritePipeline.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final boolean shared;
    private volatile Processes processes;

    /** Shared: started by the first class that registers it, stopped when the whole test run ends. */
    public RemoteWritePipeline() {
        this(true);
    }

    private RemoteWritePipeline(boolean shared) {
        this.shared = shared;
    }

    /** Own processes, started before the class and stopped after it: for tests that kill or restart them. */
    public static RemoteWritePipeline dedicated() {
        return new RemoteWritePipeline(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (shared) {
            // The root store closes AutoCloseable values when the test run ends.
            processes = context.getRoot().getStore(STORE)
                    .computeIfAbsent(Processes.class, key -> Processes.start(), Processes.class);
        } else {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!shared) {
            stop();
        }
    }

    /** Starts a dedicated pipeline outside the extension lifecycle. */
    public synchronized RemoteWritePipeline start() {
        requireDedicated();
        if (processes == null) {
            processes = Processes.start();
        }
        return this;
    }

    /** Kills every process of a dedicated pipeline by PID and deletes their data. */
    public synchronized void stop() {
        requireDedicated();
        if (processes != null) {
            processes.close();
            processes = null;
        }
    }

    public PrometheusProcess receiver() {
        return running().receiver();
    }

    public PrometheusProcess healthyAgent() {
        return running().healthyAgent();
    }

    public PrometheusProcess brokenAgent() {
        return running().brokenAgent();
    }

    public PrometheusProcess scraper() {
        return running().scraper();
    }

    /** The Prometheus the product queries ({@code autoscaler.prometheus.url}). */
    public String scraperUrl() {
        return scraper().baseUrl();
    }

    public String receiverUrl() {
        return receiver().baseUrl();
    }

    public String healthyAgentUrl() {
        return healthyAgent().baseUrl();
    }

    public String brokenAgentUrl() {
        return brokenAgent().baseUrl();
    }

    /** Where the broken agent writes: a loopback port held bound but not listening, so always refused. */
    public String brokenRemoteWriteUrl() {
        return running().brokenRemoteWriteUrl();
    }

    /** When all four processes were ready. */
    public Instant startedAt() {
        return running().startedAt();
    }

    /** An instant query on the scraper. */
    public List<Series> query(String promql) {
        return InstantQuery.run(scraperUrl(), promql);
    }

    /**
     * Polls {@link #query} until the result satisfies {@code until}; errors count as "not yet"
     * (a process may be restarting). On timeout, fails with the last result and the process logs.
     */
    public List<Series> awaitQuery(String promql, Predicate<List<Series>> until, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String last;
            RuntimeException error = null;
            try {
                List<Series> result = query(promql);
                if (until.test(result)) {
                    return result;
                }
                last = "last result: " + result;
            } catch (RuntimeException e) {
                error = e;
                last = "last error: " + e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + timeout.toSeconds() + " s, " + promql + " on the scraper never matched; "
                        + last + running().logTails(10), error);
            }
            PrometheusProcess.sleep(POLL.toMillis());
        }
    }

    /** Waits until the scraper sees the broken agent's pending samples at or above {@code n}; returns the value. */
    public double awaitBrokenQueueAtLeast(double n, Duration timeout) {
        String promql = SAMPLES_PENDING + "{pod=\"" + BROKEN_AGENT_POD + "\"}";
        return awaitQuery(promql, result -> !result.isEmpty() && result.get(0).value() >= n, timeout).get(0).value();
    }

    /**
     * Waits until the scraper holds, for both agents, every series the built-in rules read (pending samples and
     * the newest WAL timestamp): a refresh taken earlier may see one agent only, which is not what a test means.
     */
    public void awaitBothAgentsScraped(Duration timeout) {
        for (String metric : List.of(SAMPLES_PENDING, "prometheus_remote_storage_highest_timestamp_in_seconds")) {
            String promql = "count by (pod) (" + metric + "{pod=~\"" + HEALTHY_AGENT_POD + "|" + BROKEN_AGENT_POD + "\"})";
            awaitQuery(promql, result -> result.size() == 2, timeout);
        }
    }

    private Processes running() {
        Processes current = processes;
        if (current == null) {
            throw new IllegalStateException("pipeline not started: register it with @RegisterExtension on a static field");
        }
        return current;
    }

    private void requireDedicated() {
        if (shared) {
            throw new IllegalStateException("the shared pipeline is started and stopped by JUnit; use RemoteWritePipeline.dedicated()");
        }
    }

    private record Processes(PrometheusProcess receiver, PrometheusProcess healthyAgent, PrometheusProcess brokenAgent,
                             PrometheusProcess scraper, Socket deadPort, Instant startedAt) implements AutoCloseable {

        static Processes start() {
            PrometheusBinary.require(); // skips or fails before anything is allocated
            int[] ports = PrometheusProcess.freePorts(4); // receiver, healthy, broken, scraper
            Map<String, Object> portValues = Map.of("RECEIVER_PORT", ports[0], "HEALTHY_AGENT_PORT", ports[1],
                    "BROKEN_AGENT_PORT", ports[2], "SCRAPER_PORT", ports[3]);
            Socket deadPort = reserveDeadPort();
            PrometheusProcess receiver = new PrometheusProcess("receiver", Mode.RECEIVER, ports[0],
                    ConfigTemplate.render("receiver.yml", portValues));
            PrometheusProcess healthy = agent("healthy", ports[1], receiver.baseUrl() + "/api/v1/write", portValues);
            PrometheusProcess broken = agent("broken", ports[2], deadUrl(deadPort), portValues);
            PrometheusProcess scraper = new PrometheusProcess("scraper", Mode.SERVER, ports[3],
                    ConfigTemplate.render("scraper.yml", portValues));
            Processes notStarted = new Processes(receiver, healthy, broken, scraper, deadPort, null);
            try {
                notStarted.all().forEach(PrometheusProcess::start);
            } catch (RuntimeException e) {
                try {
                    notStarted.close(); // also kills the ones already up
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            return new Processes(receiver, healthy, broken, scraper, deadPort, Instant.now());
        }

        private static PrometheusProcess agent(String name, int port, String remoteWriteUrl, Map<String, Object> ports) {
            Map<String, Object> values = new HashMap<>(ports);
            values.putAll(Map.of("AGENT_NAME", name, "AGENT_PORT", port, "REMOTE_WRITE_URL", remoteWriteUrl));
            return new PrometheusProcess("agent-" + name, Mode.AGENT, port, ConfigTemplate.render("agent.yml", values));
        }

        // Bound but never listening: connects are refused, and no later bind(0) in this run (say, a
        // test's HTTP server) can take the port and start answering the broken agent.
        private static Socket reserveDeadPort() {
            try {
                Socket socket = new Socket();
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return socket;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String deadUrl(Socket deadPort) {
            return "http://127.0.0.1:" + deadPort.getLocalPort() + "/api/v1/write";
        }

        String brokenRemoteWriteUrl() {
            return deadUrl(deadPort);
        }

        List<PrometheusProcess> all() {
            return List.of(receiver, healthyAgent, brokenAgent, scraper);
        }

        String logTails(int lines) {
            StringBuilder tails = new StringBuilder();
            all().forEach(process -> tails.append(process.logTail(lines)));
            return tails.toString();
        }

        @Override
        public void close() {
            List<RuntimeException> failures = new ArrayList<>();
            for (PrometheusProcess process : all()) {
                try {
                    process.stop();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
            try {
                deadPort.close();
            } catch (IOException e) {
                failures.add(new UncheckedIOException(e));
            }
            if (!failures.isEmpty()) {
                failures.subList(1, failures.size()).forEach(failures.get(0)::addSuppressed);
                throw failures.get(0);
            }
        }
    }
}
