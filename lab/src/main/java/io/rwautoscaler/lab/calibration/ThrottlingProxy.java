package io.rwautoscaler.lab.calibration;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands for N Thanos Receive replicas in front of one real receiver: every remote-write request is decoded (snappy
 * block format, then the {@code prometheus.WriteRequest} protobuf: field 1 {@code timeseries}, in each field 2
 * {@code samples}) to count its samples; a token bucket of {@code capacity} samples/s (burst: one second of it)
 * admits it, else it is refused with 503, as an overloaded receiver answers (a recoverable error: the agent retries
 * it). Admitted requests go to the receiver unchanged. Every request, admitted or not, is answered after
 * {@code delay} (the network and ingest time of a real receiver).
 */
final class ThrottlingProxy implements AutoCloseable {

    private static final int WRITE_REQUEST_TIMESERIES = 1;
    private static final int TIMESERIES_SAMPLES = 2;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(96);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI receiver;
    private final long delayMillis;
    private final int refusalStatus;
    private volatile double capacity;
    private double tokens;
    private final java.util.function.LongSupplier nanoTime;
    private long lastRefill;

    final AtomicLong acceptedSamples = new AtomicLong();
    final AtomicLong refusedSamples = new AtomicLong();
    final AtomicLong refusedRequests = new AtomicLong();
    final AtomicLong acceptedRequests = new AtomicLong();
    final AtomicLong receiverErrors = new AtomicLong();

    ThrottlingProxy(URI receiver, double capacity, Duration delay, int refusalStatus) throws IOException {
        this(receiver, capacity, delay, refusalStatus, System::nanoTime);
    }

    /** With the token bucket's clock given (tests hold it still). */
    ThrottlingProxy(URI receiver, double capacity, Duration delay, int refusalStatus, java.util.function.LongSupplier nanoTime)
            throws IOException {
        this.nanoTime = nanoTime;
        this.lastRefill = nanoTime.getAsLong();
        this.receiver = receiver;
        this.capacity = capacity;
        this.tokens = capacity;
        this.delayMillis = delay.toMillis();
        this.refusalStatus = refusalStatus;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(executor);
        server.createContext("/api/v1/write", this::write);
        server.start();
    }

    /** Samples in a snappy-compressed remote-write request body. */
    static int countSamples(byte[] snappyBody) throws IOException {
        UnknownFieldSet request = UnknownFieldSet.parseFrom(Snappy.uncompress(snappyBody));
        if (!request.hasField(WRITE_REQUEST_TIMESERIES)) {
            return 0; // metadata only
        }
        int samples = 0;
        for (ByteString series : request.getField(WRITE_REQUEST_TIMESERIES).getLengthDelimitedList()) {
            UnknownFieldSet ts = UnknownFieldSet.parseFrom(series);
            if (ts.hasField(TIMESERIES_SAMPLES)) {
                samples += ts.getField(TIMESERIES_SAMPLES).getLengthDelimitedList().size();
            }
        }
        return samples;
    }

    private synchronized boolean admit(int samples) {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - lastRefill) / 1e9 * capacity);
        lastRefill = now;
        if (samples <= tokens) {
            tokens -= samples;
            return true;
        }
        return false;
    }

    private void write(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            int samples;
            try {
                samples = countSamples(body);
            } catch (IOException e) {
                respond(exchange, 400, "undecodable remote-write request: " + e.getMessage());
                return;
            }
            sleep(delayMillis);
            if (!admit(samples)) {
                refusedSamples.addAndGet(samples);
                refusedRequests.incrementAndGet();
                respond(exchange, refusalStatus, "over capacity");
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(receiver).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : new String[] {"Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version", "User-Agent"}) {
                String v = exchange.getRequestHeaders().getFirst(h);
                if (v != null) {
                    forward.header(h, v);
                }
            }
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                receiverErrors.incrementAndGet();
                respond(exchange, 503, "receiver unreachable: " + e.getMessage());
                return;
            }
            if (answer.statusCode() / 100 == 2) {
                acceptedSamples.addAndGet(samples);
                acceptedRequests.incrementAndGet();
            } else {
                receiverErrors.incrementAndGet();
            }
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, b.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(b);
        }
    }

    private static void sleep(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
