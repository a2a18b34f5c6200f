package io.rwautoscaler.lab.calibration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One real {@code prometheus} process (Debian's 2.42 here) on a loopback port: a receiver
 * ({@code --web.enable-remote-write-receiver}) or an agent ({@code --enable-feature=agent}). Stopped by its PID
 * with SIGKILL (an agent retrying its remote write ignores SIGTERM), also when the JVM exits early.
 */
final class PrometheusProcess implements AutoCloseable {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private PrometheusProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code prometheus} with {@code config} in {@code dir}; {@code agent} selects agent mode. */
    static PrometheusProcess start(String name, Path dir, int port, String config, boolean agent, List<String> extra)
            throws IOException {
        Files.createDirectories(dir);
        Path cfg = dir.resolve(name + ".yml");
        Files.writeString(cfg, config);
        List<String> cmd = new ArrayList<>(List.of(binary(), "--config.file=" + cfg,
                "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
        if (agent) {
            cmd.addAll(List.of("--enable-feature=agent", "--storage.agent.path=" + dir.resolve(name + "-wal")));
        } else {
            cmd.addAll(List.of("--web.enable-remote-write-receiver", "--storage.tsdb.path=" + dir.resolve(name + "-tsdb"),
                    "--storage.tsdb.retention.time=1d"));
        }
        cmd.addAll(extra);
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RUNNING.add(p);
        return new PrometheusProcess(name, port, log, p);
    }

    private static String binary() {
        String env = System.getenv("PROMETHEUS_BIN");
        return env != null && !env.isBlank() ? env : "prometheus";
    }

    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + ": " + tail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " not ready after " + timeout.toSeconds() + " s: " + tail());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }
}
