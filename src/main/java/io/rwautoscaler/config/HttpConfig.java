package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * What one request may carry and how long a connection may take to send it, on both ports. The application answers a request over these limits with a
 * meta/v1 Status that says what to change; Vert.x' own limits ({@code quarkus.http.limits.max-initial-line-length}
 * and {@code max-header-size}, 64 KiB each here) sit above them, and only a request past those gets Vert.x' bare
 * answer (kube-apiserver's own limit, Go's 1 MiB of request line and headers, answers bare too).
 */
@ConfigMapping(prefix = "autoscaler.http")
public interface HttpConfig {

    /**
     * Longest request target (path and query, as sent) accepted; a longer one is answered 414 with a Status. Must
     * stay below {@code quarkus.http.limits.max-initial-line-length}.
     */
    @WithDefault("16384")
    int maxUriLength();

    /**
     * Most bytes of request headers (names, values and their separators) accepted; more is answered 431 with a
     * Status. Must stay below {@code quarkus.http.limits.max-header-size}.
     */
    @WithDefault("20480")
    int maxHeaderBytes();

    /**
     * Longest wait for a complete request head (request line and headers): from the moment a connection is accepted
     * (the TLS handshake included), and on a kept-alive HTTP/1.1 connection from the first byte of each next request.
     * A connection that has not sent its head by then is closed without an answer, as Go's {@code ReadHeaderTimeout}
     * does in kube-apiserver; an idle kept-alive connection is left to {@code quarkus.http.idle-timeout}.
     */
    @WithDefault("10s")
    Duration headerTimeout();

    /**
     * Most connections one client address may hold open at once, per port; a connection over it is closed as soon as
     * it is accepted. kube-apiserver (the path of every HPA request), the kubelet and Prometheus each come from
     * their own address, so a client that opens many connections cannot take their place. 0 = no limit.
     */
    @WithDefault("64")
    int maxConnectionsPerClient();
}
