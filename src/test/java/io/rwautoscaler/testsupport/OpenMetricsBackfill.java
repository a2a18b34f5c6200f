package io.rwautoscaler.testsupport;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * History for a real Prometheus: series written as OpenMetrics text and turned into TSDB blocks with
 * {@code promtool tsdb create-blocks-from openmetrics}, into a {@link PrometheusProcess}'s data dir before it
 * starts. Counters are written as given (make them monotonic, with resets where a restart is meant).
 */
public final class OpenMetricsBackfill {

    /** One series: labels and (seconds, value) points in time order. */
    public static final class Series {
        private final Map<String, String> labels;
        private long[] seconds = new long[64];
        private double[] values = new double[64];
        private int n;

        Series(Map<String, String> labels) {
            this.labels = new TreeMap<>(labels);
        }

        public Series add(long epochSeconds, double value) {
            if (n > 0 && epochSeconds <= seconds[n - 1]) {
                throw new IllegalArgumentException("points of " + labels + " must be in time order");
            }
            if (n == seconds.length) {
                seconds = java.util.Arrays.copyOf(seconds, 2 * n);
                values = java.util.Arrays.copyOf(values, 2 * n);
            }
            seconds[n] = epochSeconds;
            values[n] = value;
            n++;
            return this;
        }

        public int points() {
            return n;
        }
    }

    private record Family(String type, Map<Map<String, String>, Series> series) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** The gauge series with these labels (names and values alternating), new or as far as it was written. */
    public Series gauge(String name, String... labels) {
        return series(name, "gauge", labels);
    }

    /** The counter series with these labels; {@code name} ends in {@code _total}, as queries name it. */
    public Series counter(String name, String... labels) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("counter samples end in _total: " + name);
        }
        return series(name, "counter", labels);
    }

    private Series series(String name, String type, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        Family f = families.computeIfAbsent(name, k -> new Family(type, new LinkedHashMap<>()));
        if (!f.type.equals(type)) {
            throw new IllegalArgumentException(name + " is a " + f.type);
        }
        return f.series.computeIfAbsent(new TreeMap<>(map), Series::new);
    }

    public long samples() {
        return families.values().stream().flatMap(f -> f.series.values().stream()).mapToLong(s -> s.n).sum();
    }

    /** Writes the OpenMetrics text: a {@code # TYPE} line per family, timestamps in seconds, {@code # EOF}. */
    public void write(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Family> e : families.entrySet()) {
                String name = e.getKey();
                Family f = e.getValue();
                String familyName = f.type.equals("counter") ? name.substring(0, name.length() - "_total".length()) : name;
                w.write("# TYPE " + familyName + " " + f.type + "\n");
                for (Series s : f.series.values()) {
                    StringBuilder prefix = new StringBuilder(name).append('{');
                    s.labels.forEach((k, v) -> prefix.append(k).append("=\"")
                            .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append("\","));
                    if (!s.labels.isEmpty()) {
                        prefix.setLength(prefix.length() - 1);
                    }
                    prefix.append("} ");
                    for (int i = 0; i < s.n; i++) {
                        w.write(prefix.toString());
                        w.write(String.format(Locale.ROOT, "%.6f %d%n", s.values[i], s.seconds[i]));
                    }
                }
            }
            w.write("# EOF\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the text next to {@code dataDir} and runs promtool into {@code dataDir}, in blocks of up to 8 days
     * (promtool's default of 2 h makes a week 84 blocks and takes ten times as long).
     *
     * @return how long promtool took
     */
    public Duration createBlocks(Path dataDir) {
        Path promtool = PrometheusBinary.require().resolveSibling("promtool");
        try {
            Files.createDirectories(dataDir);
            Path text = dataDir.resolveSibling(dataDir.getFileName() + ".om");
            write(text);
            Path log = dataDir.resolveSibling(dataDir.getFileName() + "-promtool.log");
            long start = System.nanoTime();
            Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                    "--max-block-duration=192h", text.toString(), dataDir.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("promtool did not finish within 5 minutes" + LogTail.of(log, 20));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("promtool exited " + p.exitValue() + LogTail.of(log, 20));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Files.delete(text);
            return took;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running promtool", e);
        }
    }
}
