package io.rwautoscaler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real {@code prometheus} process on a loopback port, with its own temp data dir.
 * {@link #stop()} kills it by PID and deletes the dir; {@link #restart()} keeps port and data.
 */
public final class PrometheusProcess implements AutoCloseable {

    public enum Mode {
        /** An ordinary server with a TSDB, such as the scraper the product queries. */
        SERVER,
        /** A server accepting remote write at /api/v1/write: stands in for Thanos Receive. */
        RECEIVER,
        /** Agent mode: scrapes and remote-writes, keeps only a WAL, answers no queries. */
        AGENT
    }

    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Path LOG_DIR = Path.of("target", "e2e-logs");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    // Safety net for runs cut short (Ctrl-C on Maven, a crashed extension): no orphans left behind.
    private static final Set<PrometheusProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(PrometheusProcess::kill)));
    }

    private final String name;
    private final Mode mode;
    private final int port;
    private final String config;
    private final List<String> extraArgs;
    private final Path binary;
    private final Path workDir;
    private final Path logFile;
    private Process process;

    /** Prepares the process; {@link #start()} launches it. */
    public PrometheusProcess(String name, Mode mode, int port, String config, String... extraArgs) {
        this.name = name;
        this.mode = mode;
        this.port = port;
        this.config = config;
        this.extraArgs = List.of(extraArgs);
        this.binary = PrometheusBinary.require(); // first, so a skipped test leaves no temp dir
        try {
            this.workDir = Files.createTempDirectory("rwa-" + name + "-");
            Files.createDirectories(LOG_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.logFile = LOG_DIR.resolve(name + "-" + port + ".log").toAbsolutePath();
    }

    /** {@code count} distinct free loopback ports; all held open at once so none is handed out twice. */
    public static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a never-used listening socket cannot lose anything
                }
            });
        }
    }

    /** Launches the process and waits until {@code /-/ready} answers 200. */
    public synchronized PrometheusProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running, pid " + process.pid());
        }
        List<String> command = command();
        try {
            Files.createDirectories(workDir); // again, in case of a start after stop()
            Files.writeString(workDir.resolve("prometheus.yml"), config);
            Files.writeString(logFile, "=== " + Instant.now() + " " + String.join(" ", command) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
        RUNNING.add(this);
        awaitReady();
        return this;
    }

    /** Kills and starts again on the same port with the same data, like a pod restart with a volume. */
    public synchronized void restart() {
        kill();
        start();
    }

    /** Kills the process by PID (SIGKILL) and deletes its data dir; the log stays in target/e2e-logs. */
    public synchronized void stop() {
        kill();
        if (!Files.exists(workDir)) {
            return; // stopped before
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + workDir, e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** PID of the current (or last) process. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return logFile;
    }

    public String logTail(int lines) {
        return LogTail.of(logFile, lines);
    }

    @Override
    public String toString() {
        return name + " " + baseUrl() + (process == null ? "" : " pid " + process.pid());
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--config.file=" + workDir.resolve("prometheus.yml"),
                "--web.listen-address=127.0.0.1:" + port));
        Path data = workDir.resolve("data");
        switch (mode) {
            case SERVER -> command.add("--storage.tsdb.path=" + data);
            case RECEIVER -> command.addAll(List.of("--storage.tsdb.path=" + data, "--web.enable-remote-write-receiver"));
            case AGENT -> command.addAll(List.of("--storage.agent.path=" + data, "--enable-feature=agent"));
        }
        command.addAll(extraArgs);
        return command;
    }

    private void awaitReady() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " during start-up" + logTail(30));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            sleep(100);
        }
        kill();
        throw new IllegalStateException(name + " not ready at " + baseUrl() + "/-/ready after "
                + READY_TIMEOUT.toSeconds() + " s" + logTail(30));
    }

    // SIGKILL, not SIGTERM: an agent whose remote write keeps failing ignores SIGTERM while it retries.
    private synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " pid " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(this);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
