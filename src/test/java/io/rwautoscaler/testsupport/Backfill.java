package io.rwautoscaler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rwautoscaler.testsupport.PrometheusProcess.Mode;

/**
 * Historical data for end-to-end tests: {@link OpenMetrics} text turned into TSDB blocks with
 * {@code promtool tsdb create-blocks-from openmetrics}, then served by a real Prometheus with a retention
 * long enough to keep them. Query the server at instants inside the data's time range.
 *
 * <pre>
 * try (PrometheusProcess prometheus = Backfill.server("history", openMetrics)) {
 *     InstantQuery.run(prometheus.baseUrl(), "...");   // or point the app at prometheus.baseUrl()
 * }
 * </pre>
 */
public final class Backfill {

    /** No scrape jobs: the blocks are the only data, and the head stays empty. */
    static final String CONFIG = "global:\n  scrape_interval: 1h\n";

    private Backfill() {
    }

    /** Writes {@code data} as TSDB blocks into {@code tsdbDir} (created if missing). */
    public static void into(Path tsdbDir, OpenMetrics data) {
        Path promtool = PrometheusBinary.require().resolveSibling("promtool");
        if (!Files.isExecutable(promtool)) {
            throw new IllegalStateException("promtool not found next to prometheus at " + promtool
                    + " (Debian's prometheus package ships both)");
        }
        try {
            Files.createDirectories(tsdbDir);
            Path input = Files.createTempFile("backfill-", ".om.txt");
            Path log = Files.createTempFile("backfill-", ".log");
            try {
                Files.writeString(input, data.render());
                List<String> command = List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                        input.toString(), tsdbDir.toString());
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " timed out" + LogTail.of(log, 20));
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue()
                            + LogTail.of(log, 20));
                }
            } finally {
                Files.deleteIfExists(input);
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backfilling", e);
        }
    }

    /** A started Prometheus server (30-day retention, no scrape jobs) whose TSDB holds {@code data}. */
    public static PrometheusProcess server(String name, OpenMetrics data) {
        int port = PrometheusProcess.freePorts(1)[0];
        PrometheusProcess prometheus = new PrometheusProcess(name, Mode.SERVER, port, CONFIG,
                "--storage.tsdb.retention.time=30d");
        try {
            into(prometheus.workDir().resolve("data"), data);
            return prometheus.start();
        } catch (RuntimeException e) {
            prometheus.stop();
            throw e;
        }
    }
}
