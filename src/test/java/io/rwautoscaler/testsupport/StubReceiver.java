package io.rwautoscaler.testsupport;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A remote-write receiver on loopback that misbehaves on purpose: {@code /slow} takes {@code delay} to accept each
 * request (204), {@code /fail} answers every request 500. It reads and drops the bodies; it is the receiver's
 * behaviour, not its storage, that the shard tuner's end-to-end test needs.
 */
public final class StubReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stub-receiver");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

    public StubReceiver(Duration delay) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/slow", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.computeIfAbsent("slow", k -> new AtomicLong()).incrementAndGet();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/fail", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.computeIfAbsent("fail", k -> new AtomicLong()).incrementAndGet();
            byte[] body = "receiver overloaded (stub)".getBytes();
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(pool);
        server.start();
    }

    public String slowUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/slow";
    }

    public String failingUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fail";
    }

    public long requests(String path) {
        return requests.getOrDefault(path, new AtomicLong()).get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
