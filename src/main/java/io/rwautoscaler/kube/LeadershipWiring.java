package io.rwautoscaler.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.Startup;
import io.rwautoscaler.config.ConfigProblems;
import io.rwautoscaler.config.KubernetesConfig;
import io.rwautoscaler.config.LeaderElectionConfig;
import io.rwautoscaler.runtime.Leadership;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Which replica acts: a Lease in cluster mode with leader election on, otherwise this process alone. */
@ApplicationScoped
public class LeadershipWiring {

    /** Started with the application so the lease is contended before the first cycle. */
    @Produces
    @Singleton
    @Startup
    Leadership leadership(KubernetesConfig kube, LeaderElectionConfig le, Instance<KubernetesClient> client) {
        String identity = le.identity().or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .filter(s -> !s.isBlank()).orElse("remote-write-autoscaler");
        if (!kube.enabled() || !le.enabled()) {
            return Leadership.always(identity);
        }
        KubernetesClient k = client.get();
        String namespace = le.namespace().orElseGet(() -> Optional.ofNullable(k.getNamespace()).orElse("default"));
        LeaseLeadership.Timing timing;
        try {
            timing = new LeaseLeadership.Timing(le.leaseDuration(), le.renewDeadline(), le.retryPeriod());
        } catch (IllegalArgumentException e) {
            throw ConfigProblems.invalid("autoscaler.leader-election", e.getMessage());
        }
        return new LeaseLeadership(k, namespace, le.leaseName(), identity, timing).start();
    }

    void closeLeadership(@Disposes Leadership leadership) {
        if (leadership instanceof LeaseLeadership lease) {
            lease.close();
        }
    }
}
