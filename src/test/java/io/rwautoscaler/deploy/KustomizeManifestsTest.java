package io.rwautoscaler.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.rwautoscaler.testsupport.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;

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
    void nextToKedaWithTheExternalScaler() {
        Manifests m = Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/without-external-metrics-api",
                "deploy/components/keda-external-scaler");
        ManifestChecks checks = new ManifestChecks(m);
        checks.all(ManifestChecks.Mode.RECOMMEND, ManifestChecks.Registration.CUSTOM_ONLY);
        checks.kedaScalerExposed(true);
        new ManifestChecks(Manifests.kustomize("deploy/overlays/recommend")).kedaScalerExposed(false);
    }

    @Test
    void takingTheCustomGroupOverFromPrometheusAdapterDelegatesItsMetrics() {
        Manifests m = Manifests.kustomizeWithComponents("deploy/overlays/recommend", "deploy/components/delegate-to-prometheus-adapter");
        ManifestChecks checks = new ManifestChecks(m);
        checks.all(ManifestChecks.Mode.RECOMMEND, ManifestChecks.Registration.ALL);
        checks.delegates("custom", "https://prometheus-adapter.monitoring.svc:443", null);
        checks.delegates("external", null, null);
        assertThat(checks.configuration().getData()).containsEntry("AUTOSCALER_DELEGATE_CUSTOM_INSECURE_SKIP_TLS_VERIFY", "true");
        new ManifestChecks(Manifests.kustomize("deploy/overlays/recommend")).delegates("custom", null, null);
    }

    @Test
    void theExampleScaledObjectIsTheRunbooksHpa() {
        Manifests m = Manifests.file(Manifests.ROOT.resolve("deploy/examples/thanos-receive-scaledobject.yaml"));
        JsonNode so = m.one("ScaledObject");
        assertThat(so.path("apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
        HorizontalPodAutoscaler hpa = Manifests.as(Manifests.file(Manifests.ROOT.resolve("deploy/examples/thanos-receive-hpa.yaml"))
                .one("HorizontalPodAutoscaler"), HorizontalPodAutoscaler.class);
        JsonNode spec = so.path("spec");
        assertThat(so.path("metadata").path("namespace").asText()).isEqualTo(hpa.getMetadata().getNamespace());
        assertThat(spec.path("scaleTargetRef").path("kind").asText()).isEqualTo(hpa.getSpec().getScaleTargetRef().getKind());
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo(hpa.getSpec().getScaleTargetRef().getName());
        assertThat(spec.path("minReplicaCount").asInt()).isEqualTo(hpa.getSpec().getMinReplicas());
        assertThat(spec.path("maxReplicaCount").asInt()).isEqualTo(hpa.getSpec().getMaxReplicas());
        // The same behavior, field for field.
        assertThat(Manifests.as(spec.path("advanced").path("horizontalPodAutoscalerConfig").path("behavior"),
                io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior.class))
                .isEqualTo(hpa.getSpec().getBehavior());
        JsonNode triggers = spec.path("triggers");
        assertThat(triggers).hasSize(3);
        assertThat(triggers.get(0).path("type").asText()).isEqualTo("cpu");
        assertThat(triggers.get(0).path("metadata").path("value").asText()).isEqualTo("70");
        assertThat(triggers.get(1).path("type").asText()).isEqualTo("memory");
        assertThat(triggers.get(1).path("metadata").path("value").asText()).isEqualTo("75");
        JsonNode queue = triggers.get(2);
        assertThat(queue.path("type").asText()).isEqualTo("external");
        assertThat(queue.path("metricType").asText()).isEqualTo("AverageValue");
        assertThat(queue.path("metadata").path("scalerAddress").asText()).isEqualTo("remote-write-autoscaler.monitoring.svc:9443");
        assertThat(queue.path("metadata").path("metricName").asText()).isEqualTo("prometheus_remote_storage_queue_length");
        assertThat(queue.path("metadata").path("targetValue").asText()).isEqualTo("3000");
        // Every key of the trigger is one the scaler accepts (the test of the scaler itself sends the same keys).
        queue.path("metadata").fieldNames().forEachRemaining(k -> assertThat(k)
                .isIn("scalerAddress", "enableTLS", "metricName", "labelSelector", "targetValue", "activationValue"));
        JsonNode auth = m.one("TriggerAuthentication");
        assertThat(auth.path("metadata").path("name").asText()).isEqualTo(queue.path("authenticationRef").path("name").asText());
        JsonNode ca = auth.path("spec").path("secretTargetRef").get(0);
        assertThat(ca.path("parameter").asText()).isEqualTo("caCert");
        // The serving certificate's Secret, as the install names it.
        assertThat(Manifests.kustomize("deploy/overlays/recommend").ofKind("Certificate").stream()
                .map(c -> c.path("spec").path("secretName").asText())).contains(ca.path("name").asText());
    }

    /** docs/install.md's own-CA overlay (step 3c), read from the guide: no cert-manager object, the CA file in every caBundle. */
    @Test
    void theInstallGuidesOwnCaOverlay() throws IOException {
        String additions = installGuideYamlAfter("### 3c.");
        String ca = TestPki.pem(TestPki.ca("my-ca").cert());
        Manifests m = Manifests.kustomizeOverlay("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                + "resources:\n  - ../deploy/overlays/recommend\n" + additions, Map.of("ca.crt", ca));
        new ManifestChecks(m).all(ManifestChecks.Mode.RECOMMEND);
        assertThat(m.ofKind("Certificate")).isEmpty();
        assertThat(m.ofKind("Issuer")).isEmpty();
        assertThat(m.ofKind("Secret")).as("the CA's Secret is only the caBundle's source (local-config)").isEmpty();
        assertThat(m.ofKind("APIService")).hasSize(3).allSatisfy(a -> {
            assertThat(a.path("metadata").path("annotations").has("cert-manager.io/inject-ca-from")).isFalse();
            assertThat(new String(Base64.getMimeDecoder().decode(a.path("spec").path("caBundle").asText()), StandardCharsets.US_ASCII))
                    .isEqualTo(ca);
        });
    }

    /** docs/install.md's patch for a Prometheus that selects by label: on the ServiceMonitor and the PrometheusRule. */
    @Test
    void theInstallGuidesSelectorLabelPatch() throws IOException {
        String patch = installGuideYamlAfter("If your Prometheus selects ServiceMonitors by a label");
        Manifests m = Manifests.kustomizeOverlay("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                + "resources:\n  - ../deploy/overlays/recommend\n  - ../deploy/monitoring\n" + patch, Map.of());
        new ManifestChecks(m).all(ManifestChecks.Mode.RECOMMEND);
        assertThat(m.ofKind("ServiceMonitor")).hasSize(1);
        assertThat(m.ofKind("PrometheusRule")).hasSize(1);
        for (JsonNode o : m.objects) {
            boolean operatorKind = o.path("apiVersion").asText().startsWith("monitoring.coreos.com/");
            assertThat(o.path("metadata").path("labels").path("release").asText())
                    .as(o.path("kind").asText() + " release label").isEqualTo(operatorKind ? "kube-prometheus-stack" : "");
        }
    }

    /** The first ```yaml block of docs/install.md after {@code marker}. */
    private static String installGuideYamlAfter(String marker) throws IOException {
        String guide = Files.readString(Manifests.ROOT.resolve("docs/install.md"));
        String section = guide.substring(guide.indexOf(marker));
        int from = section.indexOf("```yaml\n") + "```yaml\n".length();
        return section.substring(from, section.indexOf("```", from));
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
