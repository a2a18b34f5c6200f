package io.rwautoscaler.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A slowloris attack: connections that send a request head one byte at a time and never finish it. Each
 * connection has its own thread that waits {@code byteEvery} for the server to say something (it never should),
 * then sends the next byte; it notes when the server closed the connection and how many bytes had gone out.
 */
public final class SlowLoris implements AutoCloseable {

    /** Opens one connection (plain, or TLS with the handshake done). */
    public interface Connector {
        Socket connect() throws IOException;
    }

    /** One slow connection as the client saw it. */
    public static final class Slow {
        private final long startNanos = System.nanoTime();
        private volatile Socket socket;
        private volatile int bytesSent;
        private volatile long closedNanos = -1;
        private volatile String failure;

        /** The server closed it (or reset it); {@code closedAfter} then says when, counted from before the connect. */
        public boolean closedByServer() {
            return closedNanos >= 0;
        }

        public Duration closedAfter() {
            return closedNanos < 0 ? null : Duration.ofNanos(closedNanos - startNanos);
        }

        public int bytesSent() {
            return bytesSent;
        }

        /** Why the connection could not even be opened, if it could not. */
        public String failure() {
            return failure;
        }
    }

    /** A request head that is never finished: a header value that goes on forever. */
    static final byte[] HEAD = "GET /q/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);

    private final List<Slow> connections = new ArrayList<>();
    private final ExecutorService threads;
    private volatile boolean stopped;

    private SlowLoris(int n) {
        threads = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "slowloris");
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code n} slow connections, each sending one byte every {@code byteEvery}. */
    public static SlowLoris start(int n, Duration byteEvery, Connector connector) {
        SlowLoris attack = new SlowLoris(n);
        for (int i = 0; i < n; i++) {
            Slow slow = new Slow();
            attack.connections.add(slow);
            attack.threads.execute(() -> attack.run(slow, byteEvery, connector));
        }
        return attack;
    }

    /** A plain TCP connection to 127.0.0.1:{@code port} from the loopback address {@code source}. */
    public static Connector plain(String source, int port) {
        return () -> {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return s;
        };
    }

    private void run(Slow slow, Duration byteEvery, Connector connector) {
        try (Socket s = connector.connect()) {
            slow.socket = s;
            s.setSoTimeout((int) Math.max(1, byteEvery.toMillis()));
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int next = 0;
            while (!stopped) {
                out.write(next < HEAD.length ? HEAD[next] : 'a');
                out.flush();
                next++;
                slow.bytesSent = next;
                try {
                    if (in.read() < 0) {
                        slow.closedNanos = System.nanoTime();
                        return;
                    }
                    // The server answered a head it never got whole: not what this attack expects, stop here.
                    slow.failure = "the server answered an unfinished request head";
                    return;
                } catch (SocketTimeoutException quiet) {
                    // Nothing from the server: send the next byte.
                }
            }
        } catch (RuntimeException | AssertionError e) {
            slow.failure = "the connector failed: " + e;
        } catch (IOException e) {
            if (stopped) {
                return;
            }
            if (slow.socket == null) {
                slow.failure = "could not connect: " + e;
            } else {
                slow.closedNanos = System.nanoTime(); // reset or broken pipe: the server closed it
            }
        }
    }

    public List<Slow> connections() {
        return connections;
    }

    public long closedByServer() {
        return connections.stream().filter(Slow::closedByServer).count();
    }

    /** Every connection has been opened and has sent a first byte (or has failed, or been closed already). */
    public boolean allStarted() {
        return connections.stream().allMatch(c -> c.bytesSent >= 1 || c.failure != null || c.closedByServer());
    }

    /** Failures to connect, or answers where none should come; empty when the attack went as planned. */
    public List<String> failures() {
        return connections.stream().map(Slow::failure).filter(f -> f != null).toList();
    }

    /** Waits until {@code condition} holds, polling, and fails with {@code what} at the deadline. */
    public static void await(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        for (Slow c : connections) {
            Socket s = c.socket;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
