package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What one request may carry, on both ports. The application answers a request over these limits with a
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
}
