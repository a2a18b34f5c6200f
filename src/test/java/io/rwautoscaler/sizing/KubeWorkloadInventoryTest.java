package io.rwautoscaler.sizing;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.core.sizing.ContainerResources;
import io.rwautoscaler.core.sizing.ResourceBounds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Pod templates' resources and VPA container policies, as the API server means them. */
class KubeWorkloadInventoryTest {

    static final long MI = 1L << 20;
    static final long GI = 1L << 30;

    @Test
    void aLimitWithoutARequestIsTheRequestAsTheApiServerDefaultsIt() {
        var c = new ContainerBuilder().withName("app").withNewResources()
                .addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("1Gi"))
                .addToRequests("cpu", new Quantity("250m")).endResources().build();
        assertThat(KubeWorkloadInventory.resources(c)).isEqualTo(new ContainerResources(OptionalDouble.of(0.25),
                OptionalLong.of(GI), OptionalDouble.of(2), OptionalLong.of(GI)));
        assertThat(KubeWorkloadInventory.resources(new ContainerBuilder().withName("bare").build()))
                .isEqualTo(ContainerResources.none());
    }

    @Test
    void theRunbooksVpaBoundsForTheReceivers() {
        var vpa = new GenericKubernetesResourceBuilder().withApiVersion("autoscaling.k8s.io/v1")
                .withKind("VerticalPodAutoscaler")
                .withNewMetadata().withName("thanos-receive").withNamespace("monitoring").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of(
                        "targetRef", Map.of("apiVersion", "apps/v1", "kind", "StatefulSet", "name", "thanos-receive"),
                        "resourcePolicy", Map.of("containerPolicies", List.of(
                                Map.of("containerName", "thanos-receive",
                                        "minAllowed", Map.of("cpu", "500m", "memory", "1Gi"),
                                        "maxAllowed", Map.of("cpu", "4000m", "memory", "8Gi")),
                                Map.of("containerName", "*", "maxAllowed", Map.of("memory", "256Mi")),
                                Map.of("containerName", "istio-proxy", "mode", "Off",
                                        "minAllowed", Map.of("cpu", "1")))))))
                .build();
        ObjectRef receivers = new ObjectRef(ResourceKind.STATEFULSETS, "monitoring", "thanos-receive");
        assertThat(KubeWorkloadInventory.vpaBounds(vpa)).containsExactly(
                new ResourceBounds(receivers, "thanos-receive", 0.5, GI, 4.0, 8 * GI),
                new ResourceBounds(receivers, "*", 0, 0, Double.MAX_VALUE, 256 * MI));
    }
}
