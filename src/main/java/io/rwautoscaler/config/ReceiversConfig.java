package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods are Thanos Receive, which agents write to them, and where their hashring lives. Every key is
 * listed with its default in the README.
 */
@ConfigMapping(prefix = "autoscaler.receivers")
public interface ReceiversConfig {

    /** Label selector of the receive pods (runbook: {@code app=thanos-receive}). */
    @WithDefault("app=thanos-receive")
    String podSelector();

    /**
     * Label selector, on series labels, of the agents whose queues feed these receivers;
     * empty = every agent in the cluster.
     */
    Optional<String> agentSelector();

    /** Namespace of the receive StatefulSet, its headless Service, PVCs and hashring ConfigMap. */
    @WithDefault("monitoring")
    String namespace();

    /** The receive StatefulSet: its replicas are scaled, its ready pods form the hashring. */
    @WithDefault("thanos-receive")
    String statefulset();

    /** The headless Service giving each receive pod its DNS name ({@code POD.SERVICE.NAMESPACE.svc.DOMAIN}). */
    @WithDefault("thanos-receive")
    String headlessService();

    /** The hashring ConfigMap kept equal to the StatefulSet's ready pods. */
    Hashring hashring();

    interface Hashring {

        /** Write the ConfigMap; when false, its state is only reported (a hand-edited one is left alone). */
        @WithDefault("true")
        boolean sync();

        /** How often ready pods are compared with the ConfigMap. */
        @WithDefault("15s")
        Duration every();

        /** Name of the ConfigMap Thanos Receive reads ({@code --receive.hashrings-file} mounted from it). */
        @WithDefault("thanos-receive-hashring")
        String configmap();

        /** Key of the ConfigMap holding the JSON. */
        @WithDefault("hashrings.json")
        String key();

        /** Port in each endpoint: Thanos' gRPC port, matching each receiver's {@code --receive.local-endpoint}. */
        @WithDefault("10901")
        int port();

        /** Cluster DNS domain in each endpoint. */
        @WithDefault("cluster.local")
        String clusterDomain();

        /** Hashrings to write, in the order Thanos matches them (first match wins); a catch-all goes last. */
        @WithDefault("default")
        List<String> names();

        /** Tenants per hashring name ({@code autoscaler.receivers.hashring.tenants.team-a=tenant-1,tenant-2}); none = catch-all. */
        Map<String, List<String>> tenants();

        /**
         * After a change, bump an annotation on the StatefulSet's pod template so the receivers roll (for
         * setups where the hashring file is not reloaded). Off by default.
         */
        @WithDefault("false")
        boolean rollOnChange();

        /**
         * Write the ConfigMap even when another controller manages it (its {@code app.kubernetes.io/managed-by}
         * label names another, or another field manager than kubectl owns the key, e.g. the thanos-receive-controller).
         * Off: such a ConfigMap is left alone, with a Warning Event ({@code HashringTakeOverRefused}). Stop that
         * controller before turning this on, or the two rewrite the hashring in turn.
         */
        @WithDefault("false")
        boolean takeOver();
    }
}
