package io.rwautoscaler.apiserver;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sits on a listening socket, before Netty hands an accepted connection to Vert.x: refuses a connection over the
 * per-client limit, and gives every other one a {@link HeadDeadline}. Vert.x 4 has no header timeout of its own (its
 * idle timeout also cuts an unfinished head, but only at the value that closes idle kept-alive connections) and
 * Quarkus sets no connection handler we could use, hence a handler of our own in the Netty pipeline.
 */
@ChannelHandler.Sharable
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "rwa-connection-guard";
    static final AttributeKey<HeadDeadline> DEADLINE = AttributeKey.valueOf("rwa-head-deadline");

    /** Why a connection was dropped: what {@code rwa_http_connections_dropped_total{reason}} counts. */
    interface Drops {
        void headerTimeout();

        void clientLimit();
    }

    private final long headerTimeoutNanos;
    private final int maxPerClient;
    private final Drops drops;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

    ConnectionGuard(long headerTimeoutNanos, int maxPerClient, Drops drops) {
        this.headerTimeoutNanos = headerTimeoutNanos;
        this.maxPerClient = maxPerClient;
        this.drops = drops;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            InetAddress client = child.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
            if (client != null && maxPerClient > 0) {
                if (!admit(client)) {
                    drops.clientLimit();
                    // Not registered with an event loop yet: close the socket where it stands, as Netty's acceptor does.
                    child.unsafe().closeForcibly();
                    return;
                }
                child.closeFuture().addListener(f -> release(client));
            }
            HeadDeadline deadline = new HeadDeadline(headerTimeoutNanos, drops);
            child.attr(DEADLINE).set(deadline);
            child.pipeline().addFirst(HeadDeadline.NAME, deadline);
        }
        ctx.fireChannelRead(msg);
    }

    private boolean admit(InetAddress client) {
        boolean[] admitted = {false};
        open.compute(client, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= maxPerClient) {
                return n;
            }
            admitted[0] = true;
            return held + 1;
        });
        return admitted[0];
    }

    private void release(InetAddress client) {
        open.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * One connection's request-head clock, first in its pipeline so it sees every byte read (still encrypted on the
     * TLS port). Armed when the connection is accepted; stopped when a request reaches the router
     * ({@link #requestStarted}); after the last answer the connection is idle, and the clock starts again at the
     * next byte. HTTP/2 streams are framed whole by Netty, so an HTTP/2 connection is only timed until its first
     * request. Every method runs on the connection's event loop.
     */
    static final class HeadDeadline extends ChannelInboundHandlerAdapter {

        static final String NAME = "rwa-head-deadline";

        private enum State { AWAITING_HEAD, IN_REQUEST, IDLE }

        private final long timeoutNanos;
        private final Drops drops;
        private ChannelHandlerContext ctx;
        private ScheduledFuture<?> timer;
        private State state = State.AWAITING_HEAD;
        private int inFlight;
        private boolean multiplexed;

        HeadDeadline(long timeoutNanos, Drops drops) {
            this.timeoutNanos = timeoutNanos;
            this.drops = drops;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            if (state == State.AWAITING_HEAD) {
                arm();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (state == State.IDLE && !multiplexed) {
                state = State.AWAITING_HEAD;
                arm();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        /** A request head was read whole and reached the router. */
        void requestStarted(boolean http2) {
            onLoop(() -> {
                multiplexed |= http2;
                inFlight++;
                state = State.IN_REQUEST;
                cancel();
            });
        }

        /** Its answer was sent (or the exchange failed). */
        void requestEnded() {
            onLoop(() -> {
                if (inFlight > 0 && --inFlight == 0) {
                    state = State.IDLE;
                }
            });
        }

        private void onLoop(Runnable r) {
            if (ctx == null) {
                return;
            }
            if (ctx.executor().inEventLoop()) {
                r.run();
            } else {
                ctx.executor().execute(r);
            }
        }

        private void arm() {
            cancel();
            timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expire() {
            timer = null;
            if (state == State.AWAITING_HEAD && ctx.channel().isOpen()) {
                drops.headerTimeout();
                ctx.close();
            }
        }
    }
}
