package io.rwautoscaler.receivers;

import io.rwautoscaler.prometheus.Prometheus;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rwautoscaler.config.ClusterConfig;
import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.ReceiverPolicyConfig;
import io.rwautoscaler.config.ReceiversConfig;
import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.core.receivers.HashringLayout;
import io.rwautoscaler.core.receivers.TenantHashring;
import io.rwautoscaler.kube.KubeEvents;
import io.rwautoscaler.runtime.Leadership;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static io.rwautoscaler.config.ConfigProblems.invalid;

/**
 * The receiver loops' collaborators, local vs cluster mode decided here: in cluster mode the StatefulSet,
 * HPA, PVCs and hashring ConfigMap come from the Kubernetes API; in local mode the fleet comes from
 * kube-state-metrics series and nothing is written.
 */
@ApplicationScoped
public class ReceiverWiring {

    public static final String EVENTS = "receiver-events";

    private static final Logger LOG = Logger.getLogger(ReceiverWiring.class);

    @Produces
    @Singleton
    HashringLayout hashringLayout(ReceiversConfig config) {
        ReceiversConfig.Hashring h = config.hashring();
        List<TenantHashring> rings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> known = new HashSet<>(h.names());
        h.tenants().keySet().stream().filter(name -> !known.contains(name)).forEach(name -> problems.add(
                "autoscaler.receivers.hashring.tenants.\"" + name + "\": no hashring of that name in autoscaler.receivers.hashring.names"));
        for (String name : h.names()) {
            try {
                rings.add(new TenantHashring(name.trim(), h.tenants().getOrDefault(name, List.of()).stream().map(String::trim).toList()));
            } catch (IllegalArgumentException e) {
                problems.add("autoscaler.receivers.hashring.names: " + e.getMessage());
            }
        }
        try {
            if (problems.isEmpty()) {
                return new HashringLayout(config.statefulset(), config.namespace(), config.headlessService(), h.port(),
                        h.clusterDomain(), rings);
            }
        } catch (IllegalArgumentException e) {
            problems.add("autoscaler.receivers.hashring: " + e.getMessage());
        }
        throw invalid(problems);
    }

    @Produces
    @Singleton
    ReceiverFleetSource fleet(KubernetesConfig kube, ReceiversConfig config, Prometheus prometheus,
                              Instance<KubernetesClient> client) {
        if (kube.enabled()) {
            return new KubeReceiverFleet(client.get(), config.namespace(), config.statefulset());
        }
        return new SeriesReceiverFleet(prometheus, config.namespace(), config.statefulset());
    }

    @Produces
    @Singleton
    ReceiverActions actions(KubernetesConfig kube, ReceiversConfig receivers, ReceiverPolicyConfig policy,
                            Instance<KubernetesClient> client, @Named(EVENTS) Instance<KubeEvents> events) {
        List<String> problems = new ArrayList<>();
        if (policy.cooldown().isNegative()) {
            problems.add("autoscaler.policy.cooldown: negative duration " + policy.cooldown());
        }
        if (policy.every().isNegative() || policy.every().isZero()) {
            problems.add("autoscaler.policy.every: must be longer than 0s, got " + policy.every());
        }
        if (!(policy.volumeGrowth() > 1) || !Double.isFinite(policy.volumeGrowth())) {
            problems.add("autoscaler.policy.volume-growth: must be a number above 1 (2 doubles the PVC), got " + policy.volumeGrowth());
        }
        OptionalLong max = OptionalLong.empty();
        if (policy.volumeMax().isPresent()) {
            try {
                max = OptionalLong.of(Quantity.bytes(policy.volumeMax().get()));
            } catch (IllegalArgumentException e) {
                problems.add("autoscaler.policy.volume-max: '" + policy.volumeMax().get() + "' is not a quantity (e.g. 1Ti): " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        if (!kube.enabled()) {
            return ReceiverActions.reportOnly("local mode: no Kubernetes API, nothing is patched");
        }
        return new ReceiverScaler(client.get(), events.get(), receivers.namespace(), receivers.statefulset(),
                policy.cooldown(), policy.volumeGrowth(), max);
    }

    @Produces
    @Singleton
    HashringKeeper hashringKeeper(KubernetesConfig kube, ReceiversConfig config, HashringLayout layout,
                                  Instance<KubernetesClient> client, @Named(EVENTS) Instance<KubeEvents> events) {
        String configMap = config.namespace() + "/" + config.hashring().configmap();
        if (!kube.enabled()) {
            return (now, leader) -> HashringStatus.notManaged(now, configMap, config.hashring().key(),
                    "local mode: no Kubernetes API, the hashring is not managed");
        }
        HashringSync sync = new HashringSync(client.get(), events.get(), layout, config.hashring().configmap(),
                config.hashring().key(), config.hashring().sync(), config.hashring().rollOnChange(),
                config.hashring().takeOver());
        return sync::sync;
    }

    /** One Event memory for both receiver loops, so its repeat rule covers them both. */
    @Produces
    @Singleton
    @Named(EVENTS)
    KubeEvents events(Instance<KubernetesClient> client, ReceiverPolicyConfig policy, ClusterConfig cluster,
                      Leadership leadership) {
        Duration repeatAfter = policy.cooldown().isZero() || policy.cooldown().isNegative() ? Duration.ofMinutes(10) : policy.cooldown();
        return new KubeEvents(Optional.of(client.get()), leadership.identity(), cluster.cluster(), Optional.of(repeatAfter));
    }

    /**
     * Builds the configured collaborators at start-up, so an invalid {@code autoscaler.policy.*} or
     * {@code autoscaler.receivers.hashring.*} key fails start-up naming the key, not the first cycle.
     */
    void validateAtStartUp(@Observes StartupEvent event, HashringLayout layout, ReceiverActions actions) {
        LOG.debugf("receiver loops configured: hashring %s/%s, actions %s", layout.namespace(), layout.statefulSet(),
                actions.getClass().getSimpleName());
    }
}
