package io.rwautoscaler.apiserver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.rwautoscaler.config.ConfigProblems;
import io.rwautoscaler.config.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connection hygiene on both ports (the plain one and the TLS API port): a request head must arrive within
 * {@code autoscaler.http.header-timeout}, one client address holds at most
 * {@code autoscaler.http.max-connections-per-client} connections, idle connections close after
 * {@code quarkus.http.idle-timeout}. Installs a {@link ConnectionGuard} on the listening socket of each server
 * Quarkus starts for its router (not on other servers, such as a separate gRPC one), and tells each connection's
 * {@link ConnectionGuard.HeadDeadline} when a request has reached the router and when it is answered.
 */
@Singleton
@RegisterForReflection(targets = TCPServerBase.class, fields = true, methods = false)
public class ConnectionHygiene {

    private static final Logger LOG = Logger.getLogger(ConnectionHygiene.class);
    /** Before {@link RequestGate}: a request refused by the gate has still ended its head. */
    static final int PRIORITY = RequestGate.PRIORITY + 100;

    private final Vertx vertx;
    private final ConnectionGuard.Drops drops;
    /** One guard per listening socket: the per-client limit counts per port. */
    private final Map<Channel, ConnectionGuard> guards = new java.util.concurrent.ConcurrentHashMap<>();
    private final Duration headerTimeout;
    private final int maxPerClient;

    @Inject
    public ConnectionHygiene(HttpConfig config, Vertx vertx, MeterRegistry registry) {
        List<String> problems = new ArrayList<>();
        if (config.headerTimeout().compareTo(Duration.ofMillis(100)) < 0) {
            problems.add("autoscaler.http.header-timeout: " + config.headerTimeout()
                    + " must be at least 100ms (kube-apiserver allows 32s; the default is 10s)");
        }
        if (config.maxConnectionsPerClient() < 0) {
            problems.add("autoscaler.http.max-connections-per-client: " + config.maxConnectionsPerClient()
                    + " must be 0 (no limit) or more");
        }
        if (!problems.isEmpty()) {
            throw ConfigProblems.invalid(problems);
        }
        this.vertx = vertx;
        this.headerTimeout = config.headerTimeout();
        this.maxPerClient = config.maxConnectionsPerClient();
        Counter timeouts = dropped(registry, "header-timeout");
        Counter overLimit = dropped(registry, "client-limit");
        this.drops = new ConnectionGuard.Drops() {
            @Override
            public void headerTimeout() {
                timeouts.increment();
            }

            @Override
            public void clientLimit() {
                overLimit.increment();
            }
        };
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("rwa_http_connections_dropped_total")
                .description("Connections closed by the server before an answer: request head too slow "
                        + "(autoscaler.http.header-timeout) or too many from one client address "
                        + "(autoscaler.http.max-connections-per-client)")
                .tag("reason", reason).register(registry);
    }

    void register(@Observes Filters filters) {
        filters.register(this::track, PRIORITY);
    }

    // Quarkus fires these with fireAsync once a listener is bound: a plain @Observes never sees them.
    void onHttp(@ObservesAsync HttpServerStart start) {
        install();
    }

    void onHttps(@ObservesAsync HttpsServerStart start) {
        install();
    }

    private void track(RoutingContext rc) {
        HttpConnection connection = rc.request().connection();
        if (connection instanceof ConnectionBase base) {
            ConnectionGuard.HeadDeadline deadline = base.channel().attr(ConnectionGuard.DEADLINE).get();
            if (deadline != null) {
                deadline.requestStarted(rc.request().version() == HttpVersion.HTTP_2);
                rc.addEndHandler(ended -> deadline.requestEnded());
            }
        }
        rc.next();
    }

    /** Every listening socket Quarkus' router is served from: the plain port, and the TLS port when it is on. */
    private void install() {
        Map<?, HttpServerImpl> servers = ((VertxInternal) vertx).sharedTCPServers(HttpServerImpl.class);
        List<HttpServerImpl> ours = new ArrayList<>();
        synchronized (servers) {
            for (HttpServerImpl server : servers.values()) {
                if (server.requestHandler() == VertxHttpRecorder.getRootHandler()) {
                    ours.add(server);
                }
            }
        }
        if (ours.isEmpty()) {
            LOG.error("connection hygiene is off (header timeout, per-client connection limit): no Vert.x server "
                    + "serves Quarkus' router; only quarkus.http.idle-timeout applies");
        }
        for (HttpServerImpl server : ours) {
            try {
                listening(server).onSuccess(this::guard)
                        .onFailure(e -> LOG.errorf(e, "connection hygiene is off for a listener that failed to bind"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.errorf(e, "connection hygiene is off (header timeout, per-client connection limit): cannot reach "
                        + "Vert.x' listening socket (%s); only quarkus.http.idle-timeout applies", e);
            }
        }
    }

    private synchronized void guard(Channel listening) {
        if (listening.pipeline().get(ConnectionGuard.NAME) != null) {
            return;
        }
        ConnectionGuard guard = new ConnectionGuard(headerTimeout.toNanos(), maxPerClient, drops);
        listening.pipeline().addFirst(ConnectionGuard.NAME, guard);
        guards.put(listening, guard);
        listening.closeFuture().addListener(f -> guards.remove(listening));
        LOG.infof("connections on %s: request head within %s (autoscaler.http.header-timeout), at most %s per "
                        + "client address (autoscaler.http.max-connections-per-client)", listening.localAddress(),
                headerTimeout, maxPerClient == 0 ? "no limit" : maxPerClient);
    }

    /** Vert.x 4 keeps the bound socket of a server in a private field; there is no public way to it. */
    @SuppressWarnings("unchecked")
    private static Future<Channel> listening(HttpServerImpl server) throws ReflectiveOperationException {
        Field bind = TCPServerBase.class.getDeclaredField("bindFuture");
        bind.setAccessible(true);
        Future<Channel> bound = (Future<Channel>) bind.get(server);
        if (bound == null) {
            throw new IllegalStateException("the server is not listening yet");
        }
        return bound;
    }

    /** How many listening sockets are guarded now (for tests). */
    int guardedListeners() {
        return guards.size();
    }
}
