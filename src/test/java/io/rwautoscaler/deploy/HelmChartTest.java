package io.rwautoscaler.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.rwautoscaler.testsupport.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code helm template} of the chart with several value sets, checked with the same checks as the kustomize
 * overlays, and granting exactly what they grant. Helm comes from {@code helm-chart/check.sh}, which runs this test
 * with RWA_HELM set; a plain {@code ./mvnw verify} skips it unless that script has fetched Helm before.
 */
class HelmChartTest {

    static Path helm;

    @BeforeAll
    static void findHelm() {
        Optional<Path> found = Optional.ofNullable(System.getenv("RWA_HELM")).map(Path::of).filter(Files::isExecutable)
                .or(() -> Optional.of(Manifests.ROOT.resolve("target/tools/helm/helm")).filter(Files::isExecutable))
                .or(() -> Manifests.onPath("helm"));
        if (found.isEmpty() && "1".equals(System.getenv("RWA_HELM_REQUIRED"))) {
            throw new AssertionError("no Helm binary: RWA_HELM is unset and target/tools/helm/helm is missing");
        }
        assumeTrue(found.isPresent(), "no Helm binary: run helm-chart/check.sh (fetches Helm 3.17.2 into target/tools)");
        helm = found.get();
    }

    @Test
    void defaultValuesRecommend() {
        new ManifestChecks(Manifests.helmTemplate(helm)).all(ManifestChecks.Mode.RECOMMEND);
    }

    @Test
    void applyMode() {
        new ManifestChecks(Manifests.helmTemplate(helm, "--set", "mode=apply")).all(ManifestChecks.Mode.APPLY);
    }

    @Test
    void grantsExactlyWhatTheKustomizeOverlaysGrant() {
        assumeTrue(Manifests.onPath("kubectl").isPresent(), "kubectl not on PATH");
        assertThat(new ManifestChecks(Manifests.helmTemplate(helm)).grants())
                .containsExactlyElementsOf(new ManifestChecks(Manifests.kustomize("deploy/overlays/recommend")).grants());
        assertThat(new ManifestChecks(Manifests.helmTemplate(helm, "--set", "mode=apply")).grants())
                .containsExactlyElementsOf(new ManifestChecks(Manifests.kustomize("deploy/overlays/apply")).grants());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> loopValues() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(List.of("shards.mode=apply"), new ManifestChecks.Loops(true, false, false),
                        List.of("deploy/components/apply-shards")),
                org.junit.jupiter.params.provider.Arguments.of(List.of("policy.mode=apply"), new ManifestChecks.Loops(false, true, false),
                        List.of("deploy/components/apply-receivers")),
                org.junit.jupiter.params.provider.Arguments.of(List.of("hashring.sync=true"), new ManifestChecks.Loops(false, false, true),
                        List.of("deploy/components/sync-hashring")),
                org.junit.jupiter.params.provider.Arguments.of(List.of("mode=apply", "hashring.sync=false"), new ManifestChecks.Loops(true, true, false),
                        List.of("deploy/components/apply-shards", "deploy/components/apply-receivers")),
                org.junit.jupiter.params.provider.Arguments.of(List.of("mode=apply", "shards.mode=recommend"), new ManifestChecks.Loops(false, true, true),
                        List.of("deploy/components/apply-receivers", "deploy/components/sync-hashring")));
    }

    /** Each loop's own value switches that loop and its RBAC only; `mode` stays the default of the others. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("loopValues")
    void eachLoopIsSwitchedOnItsOwnWithItsRbac(List<String> values, ManifestChecks.Loops loops, List<String> components) {
        List<String> args = new java.util.ArrayList<>();
        values.forEach(v -> args.addAll(List.of("--set", v)));
        Manifests chart = Manifests.helmTemplate(helm, args.toArray(String[]::new));
        new ManifestChecks(chart).all(loops);
        assumeTrue(Manifests.onPath("kubectl").isPresent(), "kubectl not on PATH");
        assertThat(new ManifestChecks(chart).grants()).as("the same grants as the recommend overlay with " + components)
                .containsExactlyElementsOf(new ManifestChecks(Manifests.kustomizeWithComponents("deploy/overlays/recommend",
                        components.toArray(String[]::new))).grants());
    }

    @Test
    void aLoopsModeGivenAsAnEnvVariableIsRefusedNamingItsValue() {
        AssertionError refused = org.assertj.core.api.Assertions.catchThrowableOfType(AssertionError.class,
                () -> Manifests.helmTemplate(helm, "--set", "env.AUTOSCALER_SHARDS_MODE=apply"));
        assertThat(refused).as("env.AUTOSCALER_SHARDS_MODE is refused").isNotNull();
        assertThat(refused.getMessage()).contains("env.AUTOSCALER_SHARDS_MODE: set shards.mode instead");
        AssertionError typo = org.assertj.core.api.Assertions.catchThrowableOfType(AssertionError.class,
                () -> Manifests.helmTemplate(helm, "--set", "shards.mode=aply"));
        assertThat(typo).as("shards.mode=aply is refused by the schema").isNotNull();
        assertThat(typo.getMessage()).contains("shards.mode");
    }

    @Test
    void takeOverAndRollOnChangeReachTheConfigurationWithTheirRbac() {
        Manifests m = Manifests.helmTemplate(helm, "--set", "hashring.sync=true", "--set", "hashring.takeOver=true",
                "--set-string", "env.AUTOSCALER_RECEIVERS_HASHRING_ROLL_ON_CHANGE=true");
        ManifestChecks checks = new ManifestChecks(m);
        assertThat(checks.configuration().getData()).containsEntry("AUTOSCALER_RECEIVERS_HASHRING_TAKE_OVER", "true")
                .containsEntry("AUTOSCALER_RECEIVERS_HASHRING_SYNC", "true");
        // roll-on-change patches the receive StatefulSet's pod template: granted in the receivers' namespace only
        assertThat(checks.grants()).contains(new ManifestChecks.Grant("apps", "statefulsets", "patch", "monitoring"))
                .doesNotContain(new ManifestChecks.Grant("apps", "statefulsets", "patch", "cluster"));
        assertThat(new ManifestChecks(Manifests.helmTemplate(helm)).configuration().getData())
                .containsEntry("AUTOSCALER_RECEIVERS_HASHRING_TAKE_OVER", "false");
    }

    @Test
    void nextToKedaOnlyTheCustomGroupIsRegistered() {
        Manifests m = Manifests.helmTemplate(helm, "--set", "apiServices.external.enabled=false");
        new ManifestChecks(m).all(ManifestChecks.Mode.RECOMMEND, ManifestChecks.Registration.CUSTOM_ONLY);
    }

    @Test
    void nextToPrometheusAdapterOnlyTheExternalGroupIsRegistered() {
        Manifests m = Manifests.helmTemplate(helm, "--set", "apiServices.custom.enabled=false", "--set", "mode=apply");
        new ManifestChecks(m).all(ManifestChecks.Mode.APPLY, ManifestChecks.Registration.EXTERNAL_ONLY);
    }

    @Test
    void theKedaScalerIsOffUnlessAskedFor() {
        new ManifestChecks(Manifests.helmTemplate(helm)).kedaScalerExposed(false);
        Manifests m = Manifests.helmTemplate(helm, "--set", "apiServices.external.enabled=false", "--set", "kedaScaler.enabled=true");
        ManifestChecks checks = new ManifestChecks(m);
        checks.all(ManifestChecks.Mode.RECOMMEND, ManifestChecks.Registration.CUSTOM_ONLY);
        checks.kedaScalerExposed(true);
    }

    @Test
    void delegationReachesTheConfigurationWithReadAccessAndTheCa() throws Exception {
        ManifestChecks none = new ManifestChecks(Manifests.helmTemplate(helm));
        none.delegates("custom", null, null);
        none.delegates("external", null, null);

        String pem = "-----BEGIN CERTIFICATE-----\nMIIBkeda\n-----END CERTIFICATE-----\n";
        Path ca = Files.createTempFile("keda-ca", ".crt");
        Files.writeString(ca, pem);
        Manifests m = Manifests.helmTemplate(helm, "--set", "delegate.custom.url=https://prometheus-adapter.monitoring.svc:443",
                "--set", "delegate.custom.insecureSkipTLSVerify=true",
                "--set", "delegate.external.url=https://keda-operator-metrics-apiserver.keda.svc:443",
                "--set-file", "delegate.external.ca=" + ca);
        Files.delete(ca);
        ManifestChecks checks = new ManifestChecks(m);
        checks.all(ManifestChecks.Mode.RECOMMEND);
        checks.delegates("custom", "https://prometheus-adapter.monitoring.svc:443", null);
        checks.delegates("external", "https://keda-operator-metrics-apiserver.keda.svc:443", pem);
        assertThat(checks.configuration().getData()).containsEntry("AUTOSCALER_DELEGATE_CUSTOM_INSECURE_SKIP_TLS_VERIFY", "true")
                .containsEntry("AUTOSCALER_DELEGATE_CUSTOM_TIMEOUT", "5s")
                .doesNotContainKey("AUTOSCALER_DELEGATE_EXTERNAL_INSECURE_SKIP_TLS_VERIFY");

        Manifests onlyCustom = Manifests.helmTemplate(helm, "--set", "delegate.custom.url=https://prometheus-adapter.monitoring.svc:443");
        new ManifestChecks(onlyCustom).delegates("external", null, null);
    }

    @Test
    void theMasterSwitchRegistersNothing() {
        new ManifestChecks(Manifests.helmTemplate(helm, "--set", "apiServices.enabled=false"))
                .all(ManifestChecks.Mode.RECOMMEND, ManifestChecks.Registration.NONE);
    }

    @Test
    void eachRegistrationChoiceRendersTheSameApiServicesAsItsKustomizeComponent() {
        assumeTrue(Manifests.onPath("kubectl").isPresent(), "kubectl not on PATH");
        assertThat(registered(Manifests.helmTemplate(helm, "--set", "apiServices.external.enabled=false")))
                .isEqualTo(registered(Manifests.kustomizeWithComponents("deploy/overlays/recommend",
                        "deploy/components/without-external-metrics-api")));
        assertThat(registered(Manifests.helmTemplate(helm, "--set", "apiServices.custom.enabled=false")))
                .isEqualTo(registered(Manifests.kustomizeWithComponents("deploy/overlays/recommend",
                        "deploy/components/without-custom-metrics-api")));
    }

    /** Name and spec of each APIService (labels differ between Helm and kustomize by design). */
    private static java.util.Map<String, JsonNode> registered(Manifests m) {
        java.util.Map<String, JsonNode> out = new java.util.TreeMap<>();
        m.ofKind("APIService").forEach(a -> out.put(a.path("metadata").path("name").asText(), a.path("spec")));
        return out;
    }

    @Test
    void withoutCertManagerTheCaBundleIsGiven() {
        String ca = Base64.getEncoder().encodeToString(TestPki.pem(TestPki.ca("my-ca").cert()).getBytes(StandardCharsets.US_ASCII));
        Manifests m = Manifests.helmTemplate(helm, "--set", "tls.certManager.enabled=false", "--set", "tls.existingSecret=my-tls",
                "--set", "tls.caBundle=" + ca);
        new ManifestChecks(m).all(ManifestChecks.Mode.RECOMMEND);
        assertThat(m.ofKind("Certificate")).isEmpty();
        assertThat(m.ofKind("Issuer")).isEmpty();
        for (JsonNode a : m.ofKind("APIService")) {
            assertThat(a.path("spec").path("caBundle").asText()).isEqualTo(ca);
        }
        assertThat(m.one("Deployment").toString()).contains("\"secretName\":\"my-tls\"");
    }

    @Test
    void anotherReleaseNameAndAnExternalIssuer() {
        Manifests m = Manifests.helmTemplate(helm, "--set", "tls.certManager.issuerRef.kind=ClusterIssuer",
                "--set", "tls.certManager.issuerRef.name=internal-ca", "--set", "serviceMonitor.enabled=false");
        assertThat(m.ofKind("Issuer")).isEmpty();
        assertThat(m.ofKind("ServiceMonitor")).isEmpty();
        assertThat(m.one("Certificate").path("spec").path("issuerRef").path("name").asText()).isEqualTo("internal-ca");
        Manifests renamed = Manifests.parse("helm template rwa", Manifests.run(List.of(helm.toString(), "template", "rwa",
                Manifests.ROOT.resolve("helm-chart/remote-write-autoscaler").toString(), "--namespace", "observability",
                "--set", "image.repository=" + Manifests.TEST_IMAGE_REPOSITORY)));
        new ManifestChecks(renamed).all(ManifestChecks.Mode.RECOMMEND);
        assertThat(renamed.one("Deployment").path("metadata").path("name").asText()).isEqualTo("rwa-remote-write-autoscaler");
    }

    @Test
    void theClusterNameAndMatchersReachTheConfiguration() {
        Manifests m = Manifests.helmTemplate(helm, "--set", "cluster=cluster-03", "--set-string",
                "metrics.matchers=cluster=\"cluster-03\"", "--set", "prometheus.flavor=thanos",
                "--set", "prometheus.url=http://thanos-query.monitoring.svc:9090", "--set", "env.AUTOSCALER_METRICS_REFRESH=30s");
        ConfigMap cm = new ManifestChecks(m).configuration();
        assertThat(cm.getData()).containsEntry("AUTOSCALER_CLUSTER", "cluster-03")
                .containsEntry("AUTOSCALER_METRICS_MATCHERS", "cluster=\"cluster-03\"")
                .containsEntry("AUTOSCALER_PROMETHEUS_FLAVOR", "thanos")
                .containsEntry("AUTOSCALER_METRICS_REFRESH", "30s");
    }

    @Test
    void withoutAnImageRepositoryTheInstallSaysWhatToDo() {
        AssertionError refused = org.assertj.core.api.Assertions.catchThrowableOfType(AssertionError.class,
                () -> Manifests.run(List.of(helm.toString(), "template", "rwa",
                        Manifests.ROOT.resolve("helm-chart/remote-write-autoscaler").toString())));
        assertThat(refused).as("helm template without image.repository fails").isNotNull();
        assertThat(refused.getMessage()).contains("image.repository is required: build and push the image (docs/install.md)");
        Manifests m = Manifests.helmTemplate(helm, "--set", "image.tag=1.2.3");
        assertThat(new ManifestChecks(m).container().getImage()).isEqualTo(Manifests.TEST_IMAGE_REPOSITORY + ":1.2.3");
    }

    @Test
    void thePolicyFileComesFromAConfigMapYouCanReplace() throws Exception {
        new ManifestChecks(Manifests.helmTemplate(helm)).policyFileIsAConfigMapVolumeWithTheDefaults();

        Path own = Files.createTempFile("policy", ".yaml");
        Files.writeString(own, "minReplicas: 4\nmaxReplicas: 6\nrules: []\n");
        Manifests custom = Manifests.helmTemplate(helm, "--set-file", "policy.content=" + own);
        Files.delete(own);
        ConfigMap policy = custom.ofKind("ConfigMap").stream().map(n -> Manifests.as(n, ConfigMap.class))
                .filter(cm -> cm.getMetadata().getName().endsWith("-policy")).findFirst().orElseThrow();
        assertThat(policy.getData().get("policy.yaml")).isEqualTo("minReplicas: 4\nmaxReplicas: 6\nrules: []\n");

        Manifests existing = Manifests.helmTemplate(helm, "--set", "policy.existingConfigMap=my-policy");
        assertThat(existing.ofKind("ConfigMap")).noneMatch(n -> n.path("metadata").path("name").asText().endsWith("-policy"));
        assertThat(existing.one("Deployment").toString()).contains("\"configMap\":{\"name\":\"my-policy\"}");

        Manifests off = Manifests.helmTemplate(helm, "--set", "policy.enabled=false");
        ManifestChecks offChecks = new ManifestChecks(off);
        assertThat(offChecks.configuration().getData()).doesNotContainKey("AUTOSCALER_POLICY_FILE");
        assertThat(offChecks.container().getVolumeMounts()).noneMatch(vm -> vm.getMountPath().equals("/etc/rwa/policy"));
        assertThat(off.ofKind("ConfigMap")).noneMatch(n -> n.path("metadata").path("name").asText().endsWith("-policy"));
    }

    @Test
    void theSelfMonitoringAlertsAndDashboardAreShippedAndCanBeLeftOut() throws Exception {
        Manifests m = Manifests.helmTemplate(helm);
        com.fasterxml.jackson.databind.ObjectMapper yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        assertThat((Object) m.one("PrometheusRule").path("spec").path("groups"))
                .isEqualTo(yaml.readTree(Manifests.ROOT.resolve("deploy/monitoring/alerts.rules.yml").toFile()).path("groups"));
        ConfigMap dashboard = m.ofKind("ConfigMap").stream().map(n -> Manifests.as(n, ConfigMap.class))
                .filter(cm -> cm.getMetadata().getName().endsWith("-dashboard")).findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat((Object) new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard.getData().get("remote-write-autoscaler.json")))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        Manifests.ROOT.resolve("deploy/monitoring/grafana-dashboard.json").toFile()));

        Manifests off = Manifests.helmTemplate(helm, "--set", "prometheusRule.enabled=false", "--set", "dashboard.enabled=false");
        assertThat(off.ofKind("PrometheusRule")).isEmpty();
        assertThat(off.ofKind("ConfigMap")).noneMatch(n -> n.path("metadata").path("name").asText().endsWith("-dashboard"));
        new ManifestChecks(off).all(ManifestChecks.Mode.RECOMMEND);
    }
}
