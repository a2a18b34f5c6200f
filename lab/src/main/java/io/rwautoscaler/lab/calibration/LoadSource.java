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
 * What the agents scrape: {@code /metrics} exposes {@code calib_load{series="i"}} for i below the series count of the
 * moment (seconds since {@link #start}), so an agent scraping every s seconds appends count / s samples per second.
 */
final class LoadSource implements AutoCloseable {

    private final HttpServer server;
    private final DoubleToIntFunction seriesAt;
    private final byte[] lines;
    private final int[] offsets;   // offsets[n] = bytes of the first n series
    private volatile long startNanos = -1;

    LoadSource(DoubleToIntFunction seriesAt, int maxSeries) throws IOException {
        this.seriesAt = seriesAt;
        StringBuilder text = new StringBuilder("# HELP calib_load A series of the calibration load.\n# TYPE calib_load gauge\n");
        offsets = new int[maxSeries + 1];
        int header = text.length();
        offsets[0] = header;
        for (int i = 0; i < maxSeries; i++) {
            text.append("calib_load{series=\"").append(i).append("\"} ").append(i % 97).append('\n');
            offsets[i + 1] = text.length();
        }
        lines = text.toString().getBytes(StandardCharsets.US_ASCII);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/metrics", exchange -> {
            int n = Math.max(0, Math.min(maxSeries, seriesNow()));
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, offsets[n]);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(lines, 0, offsets[n]);
            }
        });
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
