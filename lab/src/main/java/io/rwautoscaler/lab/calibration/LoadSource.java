package io.rwautoscaler.lab.calibration;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.DoubleToIntFunction;

/**
 * What the agents scrape: {@code /metrics/k} (k below {@link #TARGETS}) exposes {@code calib_load{series="i"}} for
 * the i with i mod TARGETS = k below the series count of the moment (seconds since {@link #start}), so an agent
 * scraping all targets every s seconds appends count / s samples per second. Several targets, because Prometheus
 * spreads their scrapes over the interval, as in a real fleet; one target would append each scrape at once.
 */
final class LoadSource implements AutoCloseable {

    private final HttpServer server;
    private final DoubleToIntFunction seriesAt;
    static final int TARGETS = 10;
    private final byte[][] lines = new byte[TARGETS][];
    private final int[][] offsets = new int[TARGETS][];   // offsets[k][n] = bytes of target k's first n series
    private volatile long startNanos = -1;

    LoadSource(DoubleToIntFunction seriesAt, int maxSeries) throws IOException {
        this.seriesAt = seriesAt;
        for (int k = 0; k < TARGETS; k++) {
            StringBuilder text = new StringBuilder("# HELP calib_load A series of the calibration load.\n"
                    + "# TYPE calib_load gauge\n");
            int n = (maxSeries + TARGETS - 1 - k) / TARGETS;
            offsets[k] = new int[n + 1];
            offsets[k][0] = text.length();
            for (int j = 0; j < n; j++) {
                int i = j * TARGETS + k;
                text.append("calib_load{series=\"").append(i).append("\"} ").append(i % 97).append('\n');
                offsets[k][j + 1] = text.length();
            }
            lines[k] = text.toString().getBytes(StandardCharsets.US_ASCII);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        for (int k = 0; k < TARGETS; k++) {
            int target = k;
            server.createContext("/metrics/" + k, exchange -> {
                int all = Math.max(0, Math.min(maxSeries, seriesNow()));
                int n = Math.min(offsets[target].length - 1, (all + TARGETS - 1 - target) / TARGETS);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(200, offsets[target][n]);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(lines[target], 0, offsets[target][n]);
                }
            });
        }
        server.start();
    }

    /** Time 0 of the load curve. */
    void start(long nanos) {
        startNanos = nanos;
    }

    private int seriesNow() {
        long s = startNanos;
        return seriesAt.applyAsInt(s < 0 ? 0 : (System.nanoTime() - s) / 1e9);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
