package io.rwautoscaler.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;

/** Cluster mode against the Kubernetes mock server (CRUD), with a leader election the test controls. */
public class KubeMockProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("autoscaler.kubernetes.enabled", "true",
                // nothing answers here: the receiver rules are UNKNOWN, which these tests do not look at
                "autoscaler.prometheus.url", "http://127.0.0.1:9",
                "autoscaler.prometheus.timeout", "1s");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(SwitchableLeadership.class);
    }
}
