package io.rwautoscaler.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code kubectl kustomize} of both overlays, checked object by object; and the runbook's HPA example. */
class KustomizeManifestsTest {

    @BeforeAll
    static void kubectl() {
        boolean present = Manifests.onPath("kubectl").isPresent();
        if (!present && "1".equals(System.getenv("RWA_MANIFESTS_REQUIRED"))) {
            throw new AssertionError("kubectl is not on PATH (kubectl 1.32 renders the kustomize overlays offline)");
        }
        assumeTrue(present, "kubectl not on PATH: install kubectl (Debian: kubernetes-client) to render the overlays");
    }

    @Test
    void recommendOverlay() {
        Manifests m = Manifests.kustomize("deploy/overlays/recommend");
        new ManifestChecks(m).all(ManifestChecks.Mode.RECOMMEND);
        assertThat(m.ofKind("ClusterRole").stream().map(r -> r.path("metadata").path("name").asText()))
                .doesNotContain("remote-write-autoscaler-apply");
    }

    @Test
    void applyOverlay() {
        new ManifestChecks(Manifests.kustomize("deploy/overlays/apply")).all(ManifestChecks.Mode.APPLY);
    }

    @Test
    void eachLoopsComponentTurnsOnThatLoopAndItsRbacOnly() {
        new ManifestChecks(Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/apply-shards"))
                .all(new ManifestChecks.Loops(true, false, false));
        new ManifestChecks(Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/apply-receivers"))
                .all(new ManifestChecks.Loops(false, true, false));
        new ManifestChecks(Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/sync-hashring"))
                .all(new ManifestChecks.Loops(false, false, true));
        new ManifestChecks(Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/apply-shards",
                "deploy/components/sync-hashring")).all(new ManifestChecks.Loops(true, false, true));
    }

    @Test
    void theApplyOverlayIsTheRecommendOverlayWithTheThreeComponents() {
        assertThat(new ManifestChecks(Manifests.kustomize("deploy/overlays/apply")).grants())
                .containsExactlyElementsOf(new ManifestChecks(Manifests.kustomizeWithComponents("deploy/overlays/recommend",
                        "deploy/components/apply-shards", "deploy/components/apply-receivers", "deploy/components/sync-hashring")).grants());
    }

    @Test
    void theBaseIsTheRecommendOverlay() {
        new ManifestChecks(Manifests.kustomize("deploy/base")).all(ManifestChecks.Mode.RECOMMEND);
    }

    @Test
    void nextToKedaTheExternalGroupIsLeftAlone() {
        Manifests m = Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/without-external-metrics-api");
        new ManifestChecks(m).all(ManifestChecks.Mode.RECOMMEND, ManifestChecks.Registration.CUSTOM_ONLY);
    }

    @Test
    void nextToPrometheusAdapterTheCustomGroupIsLeftAlone() {
        Manifests m = Manifests.kustomizeWithComponents("deploy/overlays/apply", "deploy/components/without-custom-metrics-api");
        new ManifestChecks(m).all(ManifestChecks.Mode.APPLY, ManifestChecks.Registration.EXTERNAL_ONLY);
    }

    @Test
    void bothComponentsTogetherRegisterNothing() {
        Manifests m = Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/without-custom-metrics-api",
                "deploy/components/without-external-metrics-api");
        new ManifestChecks(m).all(ManifestChecks.Mode.RECOMMEND, ManifestChecks.Registration.NONE);
    }

    @Test
    void theExampleHpaIsTheRunbooks() {
        Manifests m = Manifests.file(Manifests.ROOT.resolve("deploy/examples/thanos-receive-hpa.yaml"));
        JsonNode node = m.one("HorizontalPodAutoscaler");
        assertThat(node.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        HorizontalPodAutoscaler hpa = Manifests.as(node, HorizontalPodAutoscaler.class);
        var spec = hpa.getSpec();
        assertThat(hpa.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(spec.getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(spec.getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(spec.getScaleTargetRef().getName()).isEqualTo("thanos-receive");
        assertThat(spec.getMinReplicas()).isEqualTo(3);
        assertThat(spec.getMaxReplicas()).isEqualTo(10);
        assertThat(spec.getMetrics()).hasSize(3);
        var cpu = spec.getMetrics().get(0);
        assertThat(List.of(cpu.getType(), cpu.getResource().getName(), cpu.getResource().getTarget().getType()))
                .containsExactly("Resource", "cpu", "Utilization");
        assertThat(cpu.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
        var memory = spec.getMetrics().get(1);
        assertThat(List.of(memory.getType(), memory.getResource().getName(), memory.getResource().getTarget().getType()))
                .containsExactly("Resource", "memory", "Utilization");
        assertThat(memory.getResource().getTarget().getAverageUtilization()).isEqualTo(75);
        var queue = spec.getMetrics().get(2);
        assertThat(queue.getType()).isEqualTo("Pods");
        assertThat(queue.getPods().getMetric().getName()).isEqualTo("prometheus_remote_storage_queue_length");
        assertThat(queue.getPods().getTarget().getType()).isEqualTo("AverageValue");
        assertThat(queue.getPods().getTarget().getAverageValue().toString()).isEqualTo("3000");
        var up = spec.getBehavior().getScaleUp();
        assertThat(up.getStabilizationWindowSeconds()).isEqualTo(300);
        assertThat(up.getPolicies()).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo("Percent");
            assertThat(p.getValue()).isEqualTo(50);
            assertThat(p.getPeriodSeconds()).isEqualTo(60);
        });
        var down = spec.getBehavior().getScaleDown();
        assertThat(down.getStabilizationWindowSeconds()).isEqualTo(600);
        assertThat(down.getPolicies()).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo("Pods");
            assertThat(p.getValue()).isEqualTo(1);
            assertThat(p.getPeriodSeconds()).isEqualTo(300);
        });
    }
}
