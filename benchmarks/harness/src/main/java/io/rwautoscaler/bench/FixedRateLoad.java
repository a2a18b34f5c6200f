package io.rwautoscaler.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate HTTP/1.1 load, wrk2's model (wrk has no fixed-rate mode and wrk2 is not packaged in Debian): each of
 * {@code --connections} keep-alive connections owns every C-th slot of the schedule, request i being due at
 * start + i / rate. A connection still waiting for an answer when its next slot comes sends right after, and that
 * request's latency counts from its due time, so a stall shows in the percentiles instead of quietly lowering the
 * rate (no coordinated omission).
 *
 * <pre>java -cp benchmarks.jar io.rwautoscaler.bench.FixedRateLoad BASE_URL PATHS_FILE RATE SECONDS
 *      [--warmup SECONDS] [--connections C] [--timeline FILE]</pre>
 *
 * Cycles over the paths in order. Prints one line of {@code key=value}: requests, ok (2xx), non2xx, failed
 * (connection errors), achieved rate, latency percentiles in ms, and the status codes seen. Warm-up requests run at
 * the same rate but are left out. {@code --timeline} writes one CSV row per second of due time (epoch second, sent,
 * 2xx, other statuses, failures) for the soak's outage check.
 */
public final class FixedRateLoad {

    private static final int FAILED = -1;

    private FixedRateLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: FixedRateLoad BASE_URL PATHS_FILE RATE SECONDS [--warmup S] [--connections C]"
                    + " [--timeline FILE]");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        List<String> paths = Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int warmup = 0;
        int connections = 16;
        Path timeline = null;
        for (int i = 4; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--timeline" -> timeline = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String host = base.getHost() + ":" + base.getPort();
        byte[][] requests = new byte[paths.size()][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = ("GET " + paths.get(i) + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + "User-Agent: rwa-fixed-rate\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        int total = (warmup + seconds) * rate;
        long period = 1_000_000_000L / rate;
        long[] latency = new long[total];
        int[] status = new int[total];
        long startNanos = System.nanoTime() + 100_000_000L;
        long startEpochMillis = System.currentTimeMillis() + 100;
        Thread[] lanes = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            Lane lane = new Lane(c, connections, base, requests, startNanos, period, latency, status);
            lanes[c] = new Thread(lane, "lane-" + c);
            lanes[c].start();
        }
        for (Thread t : lanes) {
            t.join();
        }

        int skipped = warmup * rate;
        long[] measured = Arrays.copyOfRange(latency, skipped, total);
        int ok = 0;
        int non2xx = 0;
        int failed = 0;
        Map<Integer, Integer> codes = new TreeMap<>();
        for (int i = skipped; i < total; i++) {
            int s = status[i];
            codes.merge(s, 1, Integer::sum);
            if (s >= 200 && s < 300) {
                ok++;
            } else if (s == FAILED) {
                failed++;
            } else {
                non2xx++;
            }
        }
        Arrays.sort(measured);
        System.out.printf(Locale.ROOT,
                "requests=%d ok=%d non2xx=%d failed=%d rate=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f "
                        + "max_ms=%.3f codes=%s%n",
                measured.length, ok, non2xx, failed, (double) measured.length / seconds, ms(measured, 0.50),
                ms(measured, 0.90), ms(measured, 0.99), ms(measured, 0.999), ms(measured, 1.0),
                codes.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).reduce((a, b) -> a + ";" + b)
                        .orElse(""));
        if (timeline != null) {
            writeTimeline(timeline, status, rate, startEpochMillis);
        }
    }

    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static void writeTimeline(Path file, int[] status, int rate, long startEpochMillis) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("epoch_s,sent,ok,non2xx,failed");
            for (int second = 0; second * rate < status.length; second++) {
                int ok = 0;
                int non2xx = 0;
                int failed = 0;
                int end = Math.min(status.length, (second + 1) * rate);
                for (int i = second * rate; i < end; i++) {
                    if (status[i] >= 200 && status[i] < 300) {
                        ok++;
                    } else if (status[i] == FAILED) {
                        failed++;
                    } else {
                        non2xx++;
                    }
                }
                w.printf("%d,%d,%d,%d,%d%n", startEpochMillis / 1000 + second, end - second * rate, ok, non2xx, failed);
            }
        }
    }

    /** One keep-alive connection and its share of the schedule: requests lane, lane + C, lane + 2C, ... */
    private static final class Lane implements Runnable {
        private final int first;
        private final int stride;
        private final URI base;
        private final byte[][] requests;
        private final long startNanos;
        private final long period;
        private final long[] latency;
        private final int[] status;
        private final byte[] scratch = new byte[16 * 1024];
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Lane(int first, int stride, URI base, byte[][] requests, long startNanos, long period, long[] latency,
             int[] status) {
            this.first = first;
            this.stride = stride;
            this.base = base;
            this.requests = requests;
            this.startNanos = startNanos;
            this.period = period;
            this.latency = latency;
            this.status = status;
        }

        @Override
        public void run() {
            for (int i = first; i < latency.length; i += stride) {
                long due = startNanos + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int code;
                try {
                    code = exchange(requests[i % requests.length]);
                } catch (IOException e) {
                    code = FAILED;
                    close();
                }
                latency[i] = System.nanoTime() - due;
                status[i] = code;
            }
            close();
        }

        private int exchange(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(5_000);
                socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2_000);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = socket.getOutputStream();
            }
            out.write(request);
            out.flush();
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + statusLine);
            }
            int code = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closeAfter = true;
                }
            }
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    skip(size);
                    line();
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                closeAfter = true; // body until close: read it all
                while (in.read(scratch) >= 0) {
                    // drain
                }
            }
            if (closeAfter) {
                close();
            }
            return code;
        }

        private long chunkSize() throws IOException {
            String l = line();
            int semicolon = l.indexOf(';');
            return Long.parseLong((semicolon < 0 ? l : l.substring(0, semicolon)).trim(), 16);
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, n));
                if (r < 0) {
                    throw new IOException("connection closed in the body");
                }
                n -= r;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int end = sb.length();
                    if (end > 0 && sb.charAt(end - 1) == '\r') {
                        sb.setLength(end - 1);
                    }
                    return sb.toString();
                }
                sb.append((char) c);
            }
            throw new IOException("connection closed");
        }

        private void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do with a socket that failed to close
                }
            }
            socket = null;
        }
    }
}
