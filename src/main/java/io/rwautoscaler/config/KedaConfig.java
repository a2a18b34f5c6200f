package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** KEDA's external scaler (gRPC on {@code quarkus.grpc.server.port}, 9443); README "Next to KEDA or prometheus-adapter". */
@ConfigMapping(prefix = "autoscaler.keda")
public interface KedaConfig {

    /**
     * Answer KEDA's calls. Off by default: the port has no Kubernetes authentication (only TLS and, when configured,
     * client certificates), so turning it on is a decision; while off every call is FAILED_PRECONDITION.
     */
    @WithDefault("false")
    boolean enabled();
}
