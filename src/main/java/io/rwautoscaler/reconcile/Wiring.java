package io.rwautoscaler.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.ReceiversConfig;
import io.rwautoscaler.core.metrics.LabelSelector;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.kube.KubePodInventory;
import io.rwautoscaler.prometheus.PrometheusClient;
import io.rwautoscaler.prometheus.SeriesPodInventory;
import io.smallrye.config.ConfigValidationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import io.quarkus.runtime.Startup;

import java.time.Clock;

/** Turns configuration into the plain objects the loops use; the one place that knows local vs cluster mode. */
@ApplicationScoped
public class Wiring {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ObjectLabels objectLabels(MetricsConfig config) {
        return new ObjectLabels(config.namespaceLabel(), config.podLabel(), config.serviceLabel());
    }

    /** Created at start-up so that a bad selector stops the process with the key's name, not a later request. */
    @Produces
    @Singleton
    @Startup(1)
    ReceiverFeed receiverFeed(ReceiversConfig config) {
        return new ReceiverFeed(selector("autoscaler.receivers.pod-selector", config.podSelector()),
                selector("autoscaler.receivers.agent-selector", config.agentSelector().orElse("")));
    }

    @Produces
    @Singleton
    PodInventory podInventory(KubernetesConfig kube, MetricsConfig metrics, ReceiversConfig receivers,
                              PrometheusClient prometheus, ObjectLabels labels, Instance<KubernetesClient> client) {
        if (kube.enabled()) {
            return new KubePodInventory(client.get(), receivers.podSelector());
        }
        return new SeriesPodInventory(prometheus, metrics.inventoryQuery(), labels);
    }

    private static LabelSelector selector(String key, String value) {
        try {
            return LabelSelector.parse(value);
        } catch (LabelSelector.InvalidSelectorException e) {
            throw new ConfigValidationException(new ConfigValidationException.Problem[]{
                    new ConfigValidationException.Problem(key + ": " + e.getMessage())});
        }
    }
}
