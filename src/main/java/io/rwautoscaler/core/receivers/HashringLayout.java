package io.rwautoscaler.core.receivers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the receivers' hashring endpoints come from: the receive StatefulSet, its headless Service, the port,
 * and which hashrings to write.
 *
 * <p>The port defaults to gRPC 10901, as in the runbook's {@code hashrings.json}: receivers forward series to
 * each other over gRPC, and the endpoint must match each receiver's {@code --receive.local-endpoint}. The
 * remote-write port (19291) is where agents send, not what the hashring lists.
 *
 * @param hashrings the hashrings in the order Thanos matches them (first match wins); a catch-all (no tenants)
 *                  may only come last, or it would shadow the ones after it
 */
public record HashringLayout(String statefulSet, String namespace, String headlessService, int port,
                             String clusterDomain, List<TenantHashring> hashrings) {

    public static final int THANOS_GRPC_PORT = 10901;
    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

    public HashringLayout {
        requireText(statefulSet, "statefulSet");
        requireText(namespace, "namespace");
        requireText(headlessService, "headlessService");
        requireText(clusterDomain, "clusterDomain");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        hashrings = List.copyOf(hashrings == null || hashrings.isEmpty() ? List.of(TenantHashring.DEFAULT) : hashrings);
        Set<String> names = new HashSet<>();
        Map<String, String> ringByTenant = new HashMap<>();
        for (int i = 0; i < hashrings.size(); i++) {
            TenantHashring ring = hashrings.get(i);
            if (!names.add(ring.name())) {
                throw new IllegalArgumentException("hashring " + ring.name() + " is listed twice");
            }
            if (ring.catchAll() && i < hashrings.size() - 1) {
                throw new IllegalArgumentException("hashring " + ring.name() + " has no tenants, so it catches every"
                        + " tenant and the hashrings after it would never be used; put it last");
            }
            for (String tenant : ring.tenants()) {
                String earlier = ringByTenant.putIfAbsent(tenant, ring.name());
                if (earlier != null) {
                    throw new IllegalArgumentException("tenant " + tenant + " is in hashrings " + earlier + " and "
                            + ring.name() + "; Thanos would only ever use " + earlier);
                }
            }
        }
    }

    /** One default hashring, gRPC port 10901, cluster.local. */
    public static HashringLayout of(String statefulSet, String namespace, String headlessService) {
        return new HashringLayout(statefulSet, namespace, headlessService, THANOS_GRPC_PORT, DEFAULT_CLUSTER_DOMAIN,
                List.of(TenantHashring.DEFAULT));
    }

    public HashringLayout withPort(int newPort) {
        return new HashringLayout(statefulSet, namespace, headlessService, newPort, clusterDomain, hashrings);
    }

    public HashringLayout withClusterDomain(String domain) {
        return new HashringLayout(statefulSet, namespace, headlessService, port, domain, hashrings);
    }

    public HashringLayout withHashrings(List<TenantHashring> rings) {
        return new HashringLayout(statefulSet, namespace, headlessService, port, clusterDomain, rings);
    }

    /** The pod's stable DNS name through the headless Service: {@code thanos-receive-0.thanos-receive.monitoring.svc.cluster.local:10901}. */
    public String endpoint(String podName) {
        return podName + "." + headlessService + "." + namespace + ".svc." + clusterDomain + ":" + port;
    }

    private static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
    }
}
