package io.rwautoscaler.metrics;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Startup;
import io.rwautoscaler.config.ConfigProblems;
import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.config.ReceiversConfig;
import io.rwautoscaler.core.metrics.ObjectLabels;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.prometheus.Prometheus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The metrics snapshot's parts from configuration: object labels, the receivers' feed, the pod inventory (cluster or local mode). */
@ApplicationScoped
public class MetricsWiring {

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
        return new ReceiverFeed(ConfigProblems.selector("autoscaler.receivers.pod-selector", config.podSelector()),
                ConfigProblems.selector("autoscaler.receivers.agent-selector", config.agentSelector().orElse("")));
    }

    @Produces
    @Singleton
    PodInventory podInventory(KubernetesConfig kube, MetricsConfig metrics, ReceiversConfig receivers,
                              Prometheus prometheus, ObjectLabels labels, Instance<KubernetesClient> client) {
        if (kube.enabled()) {
            return new KubePodInventory(client.get(), receivers.podSelector());
        }
        return new SeriesPodInventory(prometheus, metrics.inventoryQuery(), labels);
    }
}
