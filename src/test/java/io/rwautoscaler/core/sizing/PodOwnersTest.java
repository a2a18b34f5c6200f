package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pods of the usage window, gone or not, to their workloads: known owners first, then the controllers' names. */
class PodOwnersTest {

    static final ObjectRef RECEIVE = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "thanos-receive");
    static final ObjectRef ROUTER = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "thanos-receive-router");
    static final ObjectRef KSM = new ObjectRef(ResourceKind.DEPLOYMENTS, "monitoring", "kube-state-metrics");
    static final ObjectRef EXPORTER = new ObjectRef(ResourceKind.DAEMONSETS, "monitoring", "node-exporter");
    static final ObjectRef ELSEWHERE = new ObjectRef(ResourceKind.DEPLOYMENTS, "other", "kube-state-metrics");

    static final PodOwners OWNERS = new PodOwners(List.of(RECEIVE, ROUTER, KSM, EXPORTER),
            Map.of("monitoring/odd-name-1", KSM, "monitoring/stray-0", ELSEWHERE));

    @ParameterizedTest(name = "{0}/{1} → {2}")
    @CsvSource({
            "monitoring, thanos-receive-0,                    thanos-receive",
            "monitoring, thanos-receive-12,                   thanos-receive",
            "monitoring, thanos-receive-router-0,             thanos-receive-router", // longest name wins
            "monitoring, kube-state-metrics-7d4b9c6f5-x2x9z,  kube-state-metrics",
            "monitoring, kube-state-metrics-5f6a7b8c9d-abcde, kube-state-metrics",    // a replaced pod
            "monitoring, node-exporter-k8x2q,                 node-exporter",
            "monitoring, odd-name-1,                          kube-state-metrics",    // known from the API
            "monitoring, thanos-receive-abc,                  ''",                    // not an ordinal
            "monitoring, node-exporter-k8x2q9,                ''",                    // not 5 characters
            "monitoring, kube-state-metrics-x2x9z,            ''",                    // no pod-template hash
            "other,      thanos-receive-0,                    ''",                    // another namespace
            "monitoring, stray-0,                             ''",                    // known owner not in scope
            "monitoring, thanos-receive,                      ''",
    })
    void ownerOf(String namespace, String pod, String owner) {
        assertThat(OWNERS.ownerOf(namespace, pod).map(ObjectRef::name).orElse("")).isEqualTo(owner);
    }

    @Test
    void aDeploymentNamedLikeAStatefulSetsPodIsNotConfused() {
        ObjectRef web0 = new ObjectRef(ResourceKind.DEPLOYMENTS, "apps", "web-0");
        ObjectRef web = new ObjectRef(ResourceKind.STATEFULSETS, "apps", "web");
        PodOwners owners = new PodOwners(List.of(web, web0), Map.of());
        assertThat(owners.ownerOf("apps", "web-0")).contains(web);
        assertThat(owners.ownerOf("apps", "web-0-6d8f7c9b5-qwert")).contains(web0);
    }
}
