package io.rwautoscaler.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a rendering of the install (kustomize overlay or Helm chart) must satisfy for the aggregation layer,
 * the kubelet and RBAC: run on every rendering, so the two stay equivalent.
 */
final class ManifestChecks {

    enum Mode {
        RECOMMEND, APPLY;

        Loops loops() {
            return this == APPLY ? Loops.ALL : Loops.NONE;
        }
    }

    /** Which loops act: the shard tuner (shards.mode), the receiver policy (policy.mode), the hashring (hashring.sync). */
    record Loops(boolean shards, boolean policy, boolean hashring) {
        static final Loops NONE = new Loops(false, false, false);
        static final Loops ALL = new Loops(true, true, true);
    }

    /** Which metrics API groups the install registers with kube-apiserver (one backend per group and version). */
    enum Registration {
        ALL("v1beta1.custom.metrics.k8s.io", "v1beta2.custom.metrics.k8s.io", "v1beta1.external.metrics.k8s.io"),
        CUSTOM_ONLY("v1beta1.custom.metrics.k8s.io", "v1beta2.custom.metrics.k8s.io"),
        EXTERNAL_ONLY("v1beta1.external.metrics.k8s.io"),
        NONE;

        final Set<String> apiServices;

        Registration(String... names) {
            this.apiServices = Set.of(names);
        }
    }

    /** Every kind the install may contain, with its apiVersion and whether it lives in a namespace. */
    record KindInfo(String apiVersion, boolean namespaced) {
    }

    static final Map<String, KindInfo> KINDS = Map.ofEntries(
            Map.entry("ServiceAccount", new KindInfo("v1", true)),
            Map.entry("ConfigMap", new KindInfo("v1", true)),
            Map.entry("Service", new KindInfo("v1", true)),
            Map.entry("Deployment", new KindInfo("apps/v1", true)),
            Map.entry("PodDisruptionBudget", new KindInfo("policy/v1", true)),
            Map.entry("ClusterRole", new KindInfo("rbac.authorization.k8s.io/v1", false)),
            Map.entry("ClusterRoleBinding", new KindInfo("rbac.authorization.k8s.io/v1", false)),
            Map.entry("Role", new KindInfo("rbac.authorization.k8s.io/v1", true)),
            Map.entry("RoleBinding", new KindInfo("rbac.authorization.k8s.io/v1", true)),
            Map.entry("APIService", new KindInfo("apiregistration.k8s.io/v1", false)),
            Map.entry("Issuer", new KindInfo("cert-manager.io/v1", true)),
            Map.entry("Certificate", new KindInfo("cert-manager.io/v1", true)),
            Map.entry("ServiceMonitor", new KindInfo("monitoring.coreos.com/v1", true)),
            Map.entry("PrometheusRule", new KindInfo("monitoring.coreos.com/v1", true)));

    static final Map<String, Class<?>> TYPED = Map.of(
            "ServiceAccount", ServiceAccount.class, "ConfigMap", ConfigMap.class, "Service", Service.class,
            "Deployment", Deployment.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "ClusterRole", ClusterRole.class, "ClusterRoleBinding", ClusterRoleBinding.class,
            "Role", Role.class, "RoleBinding", RoleBinding.class);

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.:]*[a-z0-9])?");
    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection",
            "escalate", "bind", "impersonate", "approve", "sign");

    /** One RBAC grant: API group, resource (with subresource), verb, and where (cluster, or a namespace). */
    record Grant(String group, String resource, String verb, String scope) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + " in " + scope;
        }
    }

    private final Manifests m;
    private final Deployment deployment;
    private final Service service;
    private final String namespace;

    ManifestChecks(Manifests m) {
        this.m = m;
        this.deployment = Manifests.as(m.one("Deployment"), Deployment.class);
        this.namespace = deployment.getMetadata().getNamespace();
        this.service = Manifests.as(m.one("Service"), Service.class);
    }

    void all(Mode mode) {
        all(mode, Registration.ALL);
    }

    void all(Mode mode, Registration registration) {
        all(mode.loops(), registration);
    }

    void all(Loops loops) {
        all(loops, Registration.ALL);
    }

    void all(Loops loops, Registration registration) {
        everyObjectIsWellFormed();
        deploymentRunsLockedDown();
        probesHitTheManagementPort();
        serviceAndDisruptionBudgetSelectThePods();
        apiServicesAsTheAggregationLayerNeedsThem(registration);
        servingCertificateIsMountedAndTrusted();
        serviceMonitorScrapesTheManagementPort();
        rbacIsMinimalAndComplete(loops);
        configuredMode(loops);
        everyVariableIsAKnownKey();
        imageNamesARepositoryAndTag();
        policyFileIsAConfigMapVolumeWithTheDefaults();
        jvmIsSizedFromTheContainersMemoryLimit();
    }

    /** The launcher's MEMORY_LIMIT is the container's own limit (bytes), so a changed limit resizes the heap with it. */
    void jvmIsSizedFromTheContainersMemoryLimit() {
        Container c = container();
        assertThat(c.getResources().getLimits()).as("memory limit").containsKey("memory");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("MEMORY_LIMIT")).singleElement().satisfies(e -> {
            assertThat(e.getValue()).as("MEMORY_LIMIT is not a fixed value").isNull();
            var ref = e.getValueFrom().getResourceFieldRef();
            assertThat(ref).as("MEMORY_LIMIT from resourceFieldRef").isNotNull();
            assertThat(ref.getResource()).isEqualTo("limits.memory");
            assertThat(ref.getContainerName()).isIn(null, "", c.getName());
            assertThat(ref.getDivisor() == null ? "1" : ref.getDivisor().toString()).as("divisor: bytes").isEqualTo("1");
        });
        assertThat(configuration().getData()).as("MEMORY_LIMIT only from the limit").doesNotContainKey("MEMORY_LIMIT");
    }

    /** The ConfigMap the container takes its AUTOSCALER_* variables from (envFrom). */
    ConfigMap configuration() {
        String name = container().getEnvFrom().stream().filter(ef -> ef.getConfigMapRef() != null)
                .map(ef -> ef.getConfigMapRef().getName()).findFirst()
                .orElseThrow(() -> new AssertionError("the container takes no ConfigMap through envFrom"));
        return m.ofKind("ConfigMap").stream().filter(n -> name.equals(n.path("metadata").path("name").asText()))
                .map(n -> Manifests.as(n, ConfigMap.class)).findFirst()
                .orElseThrow(() -> new AssertionError("envFrom names ConfigMap " + name + ", which is not rendered"));
    }

    void imageNamesARepositoryAndTag() {
        assertThat(container().getImage()).as("image is REPOSITORY:TAG").matches("[^:@\\s]+(:[0-9]+)?[^:@\\s]*:[A-Za-z0-9_][A-Za-z0-9_.-]*");
    }

    /**
     * AUTOSCALER_POLICY_FILE names policy.yaml in a ConfigMap volume of the pod, that ConfigMap is rendered, and its
     * policy.yaml validates and is the built-in defaults (the starting point the docs promise).
     */
    void policyFileIsAConfigMapVolumeWithTheDefaults() {
        String file = configuration().getData().get("AUTOSCALER_POLICY_FILE");
        assertThat(file).as("AUTOSCALER_POLICY_FILE in the configuration").isNotNull();
        Path path = Path.of(file);
        var mount = container().getVolumeMounts().stream().filter(vm -> path.startsWith(vm.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mounted where AUTOSCALER_POLICY_FILE points: " + file));
        assertThat(mount.getReadOnly()).as("policy mount read-only").isTrue();
        var volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getConfigMap()).as("policy volume is a ConfigMap").isNotNull();
        String key = Path.of(mount.getMountPath()).relativize(path).toString();
        ConfigMap cm = m.ofKind("ConfigMap").stream()
                .filter(n -> volume.getConfigMap().getName().equals(n.path("metadata").path("name").asText()))
                .map(n -> Manifests.as(n, ConfigMap.class)).findFirst()
                .orElseThrow(() -> new AssertionError("policy ConfigMap " + volume.getConfigMap().getName() + " not rendered"));
        assertThat(cm.getData()).as("policy ConfigMap key").containsKey(key);
        try {
            Map<String, Object> doc = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readValue(cm.getData().get(key), new com.fasterxml.jackson.core.type.TypeReference<>() { });
            assertThat(io.rwautoscaler.core.receivers.PolicyValidator.validate(doc).errors()).as("mounted policy validates").isEmpty();
            assertThat(doc).as("mounted policy = built-in defaults")
                    .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                            io.rwautoscaler.core.receivers.ReceiverPolicy.defaults().toDocument(), Map.class));
        } catch (java.io.IOException e) {
            throw new AssertionError("policy.yaml is not YAML", e);
        }
    }

    void everyObjectIsWellFormed() {
        assertThat(m.objects).as(m.source).isNotEmpty();
        Set<String> seen = new HashSet<>();
        for (JsonNode o : m.objects) {
            String kind = o.path("kind").asText();
            String name = o.path("metadata").path("name").asText();
            String id = kind + " " + name;
            assertThat(KINDS).as("%s: unexpected kind in %s", id, m.source).containsKey(kind);
            KindInfo info = KINDS.get(kind);
            assertThat(o.path("apiVersion").asText()).as("%s apiVersion", id).isEqualTo(info.apiVersion());
            assertThat(name).as("%s: metadata.name", id).matches(NAME);
            assertThat(o.path("metadata").path("namespace").isMissingNode()).as("%s: metadata.namespace set exactly when namespaced", id)
                    .isEqualTo(!info.namespaced());
            assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/name").asText()).as("%s: app.kubernetes.io/name label", id)
                    .isNotEmpty();
            assertThat(seen.add(kind + "/" + o.path("metadata").path("namespace").asText() + "/" + name)).as("%s twice", id).isTrue();
            if (TYPED.containsKey(kind)) {
                Manifests.as(o, TYPED.get(kind));
            }
        }
    }

    Container container() {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    int containerPort(String name) {
        return container().getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name));
    }

    void deploymentRunsLockedDown() {
        var spec = deployment.getSpec();
        assertThat(spec.getReplicas()).as("replicas").isEqualTo(2);
        var pod = spec.getTemplate().getSpec();
        assertThat(spec.getSelector().getMatchLabels()).isNotEmpty();
        assertThat(spec.getTemplate().getMetadata().getLabels()).containsAllEntriesOf(spec.getSelector().getMatchLabels());
        assertThat(m.ofKind("ServiceAccount").stream().map(s -> s.path("metadata").path("name").asText()))
                .contains(pod.getServiceAccountName());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("pod runAsNonRoot").isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("pod runAsUser").isNotNull().isNotZero();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container c = container();
        assertThat(c.getImage()).isNotBlank();
        var sc = c.getSecurityContext();
        assertThat(sc.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
        assertThat(sc.getRunAsNonRoot()).as("container runAsNonRoot").isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("memory");
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("HOSTNAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
        // A read-only root needs a writable /tmp (Vert.x and the JVM write there).
        assertThat(c.getVolumeMounts()).anySatisfy(v -> assertThat(v.getMountPath()).isEqualTo("/tmp"));
        assertThat(containerPort("https")).isEqualTo(8443);
        assertThat(containerPort("management")).isEqualTo(9000);
        var envFrom = c.getEnvFrom();
        assertThat(envFrom).isNotEmpty();
        for (var ef : envFrom) {
            assertThat(m.ofKind("ConfigMap").stream().map(cm -> cm.path("metadata").path("name").asText()))
                    .as("envFrom ConfigMap exists").contains(ef.getConfigMapRef().getName());
        }
    }

    void probesHitTheManagementPort() {
        Container c = container();
        Map<String, Probe> probes = Map.of("startup", c.getStartupProbe(), "liveness", c.getLivenessProbe(),
                "readiness", c.getReadinessProbe());
        Map<String, String> paths = Map.of("startup", "/q/health/started", "liveness", "/q/health/live", "readiness", "/q/health/ready");
        probes.forEach((kind, p) -> {
            assertThat(p).as(kind + " probe").isNotNull();
            var port = p.getHttpGet().getPort();
            int number = port.getStrVal() != null ? containerPort(port.getStrVal()) : port.getIntVal();
            assertThat(number).as(kind + " probe port").isEqualTo(9000);
            assertThat(p.getHttpGet().getScheme()).as(kind + " probe scheme").isIn(null, "HTTP");
            assertThat(p.getHttpGet().getPath()).isEqualTo(paths.get(kind));
        });
    }

    void serviceAndDisruptionBudgetSelectThePods() {
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        var https = service.getSpec().getPorts().stream().filter(p -> p.getPort() == 443).findFirst()
                .orElseThrow(() -> new AssertionError("Service has no port 443"));
        var target = https.getTargetPort();
        assertThat(target.getStrVal() != null ? containerPort(target.getStrVal()) : target.getIntVal()).isEqualTo(8443);
        PodDisruptionBudget pdb = Manifests.as(m.one("PodDisruptionBudget"), PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    }

    void apiServicesAsTheAggregationLayerNeedsThem(Registration registration) {
        Map<String, int[]> expected = Map.of(
                "v1beta1.custom.metrics.k8s.io", new int[]{100, 100},
                "v1beta2.custom.metrics.k8s.io", new int[]{100, 200},
                "v1beta1.external.metrics.k8s.io", new int[]{100, 100});
        List<JsonNode> apiServices = m.ofKind("APIService");
        assertThat(apiServices.stream().map(a -> a.path("metadata").path("name").asText())).as(m.source + ": registered APIServices")
                .containsExactlyInAnyOrderElementsOf(registration.apiServices);
        for (JsonNode a : apiServices) {
            String name = a.path("metadata").path("name").asText();
            JsonNode spec = a.path("spec");
            assertThat(spec.path("version").asText() + "." + spec.path("group").asText()).isEqualTo(name);
            assertThat(spec.path("groupPriorityMinimum").asInt()).as(name + " groupPriorityMinimum").isEqualTo(expected.get(name)[0]);
            assertThat(spec.path("versionPriority").asInt()).as(name + " versionPriority").isEqualTo(expected.get(name)[1]);
            assertThat(spec.path("service").path("name").asText()).isEqualTo(service.getMetadata().getName());
            assertThat(spec.path("service").path("namespace").asText()).isEqualTo(namespace);
            assertThat(spec.path("service").path("port").asInt(443)).isEqualTo(443);
            assertThat(spec.path("insecureSkipTLSVerify").asBoolean(false)).as(name + " insecureSkipTLSVerify").isFalse();
            String inject = a.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").asText();
            boolean bundle = !spec.path("caBundle").asText().isEmpty();
            assertThat(bundle ^ !inject.isEmpty()).as(name + ": either a caBundle or cert-manager's inject-ca-from, exactly one").isTrue();
            if (!inject.isEmpty()) {
                assertThat(certificates()).as(name + " inject-ca-from names an existing Certificate").contains(inject);
            } else {
                // MIME: kustomize wraps generated base64 in lines; kube-apiserver's decoder (Go's) skips the line breaks too.
                assertThat(java.util.Base64.getMimeDecoder().decode(spec.path("caBundle").asText())).asString().contains("BEGIN CERTIFICATE");
            }
        }
    }

    private List<String> certificates() {
        return m.ofKind("Certificate").stream()
                .map(c -> c.path("metadata").path("namespace").asText() + "/" + c.path("metadata").path("name").asText()).toList();
    }

    void servingCertificateIsMountedAndTrusted() {
        var mount = container().getVolumeMounts().stream().filter(v -> v.getMountPath().equals("/etc/rwa/tls")).findFirst()
                .orElseThrow(() -> new AssertionError("no TLS volume at /etc/rwa/tls (autoscaler.tls.cert-file default)"));
        var volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        String secret = volume.getSecret().getSecretName();
        for (JsonNode c : m.ofKind("Certificate")) {
            if (c.path("spec").path("isCA").asBoolean(false)) {
                continue;
            }
            assertThat(c.path("spec").path("secretName").asText()).isEqualTo(secret);
            List<String> dns = new ArrayList<>();
            c.path("spec").path("dnsNames").forEach(d -> dns.add(d.asText()));
            assertThat(dns).contains(service.getMetadata().getName() + "." + namespace + ".svc");
            assertThat(c.path("spec").path("privateKey").path("encoding").asText()).isEqualTo("PKCS8");
            String issuer = c.path("spec").path("issuerRef").path("name").asText();
            assertThat(m.ofKind("Issuer").stream().map(i -> i.path("metadata").path("name").asText())).contains(issuer);
        }
    }

    void serviceMonitorScrapesTheManagementPort() {
        for (JsonNode sm : m.ofKind("ServiceMonitor")) {
            sm.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e ->
                    assertThat(service.getMetadata().getLabels()).containsEntry(e.getKey(), e.getValue().asText()));
            JsonNode ep = sm.path("spec").path("endpoints").get(0);
            assertThat(ep.path("path").asText()).isEqualTo("/q/metrics");
            var port = service.getSpec().getPorts().stream().filter(p -> ep.path("port").asText().equals(p.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError("ServiceMonitor port " + ep.path("port").asText() + " not on the Service"));
            assertThat(containerPort(port.getTargetPort().getStrVal())).isEqualTo(9000);
        }
    }

    /** Every grant the autoscaler's ServiceAccount gets from the rendered roles and bindings. */
    Set<Grant> grants() {
        String sa = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
        Map<String, List<PolicyRule>> clusterRoles = new java.util.HashMap<>();
        m.ofKind("ClusterRole").forEach(n -> {
            ClusterRole r = Manifests.as(n, ClusterRole.class);
            clusterRoles.put(r.getMetadata().getName(), r.getRules());
        });
        Map<String, List<PolicyRule>> roles = new java.util.HashMap<>();
        m.ofKind("Role").forEach(n -> {
            Role r = Manifests.as(n, Role.class);
            roles.put(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(), r.getRules());
        });
        Set<Grant> out = new TreeSet<>(java.util.Comparator.comparing(Grant::toString));
        for (JsonNode n : m.ofKind("ClusterRoleBinding")) {
            ClusterRoleBinding b = Manifests.as(n, ClusterRoleBinding.class);
            if (boundTo(b.getSubjects(), sa)) {
                add(out, rules(clusterRoles, b.getRoleRef()), "cluster");
            }
        }
        for (JsonNode n : m.ofKind("RoleBinding")) {
            RoleBinding b = Manifests.as(n, RoleBinding.class);
            if (boundTo(b.getSubjects(), sa)) {
                String ns = b.getMetadata().getNamespace();
                List<PolicyRule> rules = b.getRoleRef().getKind().equals("ClusterRole") ? rules(clusterRoles, b.getRoleRef())
                        : roles.containsKey(ns + "/" + b.getRoleRef().getName()) ? roles.get(ns + "/" + b.getRoleRef().getName())
                        : builtinRole(ns, b.getRoleRef().getName());
                add(out, rules, ns);
            }
        }
        return out;
    }

    private boolean boundTo(List<Subject> subjects, String sa) {
        return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(sa)
                && namespace.equals(s.getNamespace()));
    }

    /** The built-in roles the install binds to, as Kubernetes defines them. */
    private static List<PolicyRule> rules(Map<String, List<PolicyRule>> defined, RoleRef ref) {
        if (defined.containsKey(ref.getName())) {
            return defined.get(ref.getName());
        }
        if (ref.getName().equals("system:auth-delegator")) {
            return List.of(rule("authentication.k8s.io", "tokenreviews", "create"),
                    rule("authorization.k8s.io", "subjectaccessreviews", "create"));
        }
        throw new AssertionError("binding to ClusterRole " + ref.getName() + ", which is neither rendered nor a known built-in");
    }

    private static List<PolicyRule> builtinRole(String ns, String name) {
        if (ns.equals("kube-system") && name.equals("extension-apiserver-authentication-reader")) {
            return List.of(rule("", "configmaps/extension-apiserver-authentication", "get"));
        }
        throw new AssertionError("binding to Role " + ns + "/" + name + ", which is neither rendered nor a known built-in");
    }

    private static PolicyRule rule(String group, String resource, String verb) {
        PolicyRule r = new PolicyRule();
        r.setApiGroups(List.of(group));
        r.setResources(List.of(resource));
        r.setVerbs(List.of(verb));
        return r;
    }

    private static void add(Set<Grant> out, List<PolicyRule> rules, String scope) {
        for (PolicyRule r : rules) {
            for (String g : r.getApiGroups() == null ? List.<String>of() : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        List<String> names = r.getResourceNames() == null || r.getResourceNames().isEmpty() ? List.of("")
                                : r.getResourceNames();
                        for (String n : names) {
                            out.add(new Grant(g, n.isEmpty() || res.contains("/") ? res : res + "/" + n, v, scope));
                        }
                    }
                }
            }
        }
    }

    void rbacIsMinimalAndComplete(Loops loops) {
        for (String kind : List.of("ClusterRole", "Role")) {
            for (JsonNode n : m.ofKind(kind)) {
                String name = n.path("metadata").path("name").asText();
                for (JsonNode r : n.path("rules")) {
                    r.path("verbs").forEach(v -> assertThat(v.asText()).as(kind + " " + name + ": wildcard verb").isNotEqualTo("*"));
                    r.path("apiGroups").forEach(g -> assertThat(g.asText()).as(kind + " " + name + ": wildcard group").isNotEqualTo("*"));
                    r.path("verbs").forEach(v -> assertThat(v.asText()).as(kind + " " + name + ": deletes nothing")
                            .isNotIn("delete", "deletecollection", "escalate", "bind", "impersonate"));
                    boolean metricsGroups = new HashSet<>(List.of("custom.metrics.k8s.io", "external.metrics.k8s.io"))
                            .containsAll(texts(r.path("apiGroups")));
                    r.path("resources").forEach(res -> assertThat(res.asText().equals("*") && !metricsGroups)
                            .as(kind + " " + name + ": wildcard resource outside the metrics APIs").isFalse());
                    r.path("nonResourceURLs").forEach(u -> assertThat(u.asText()).isEqualTo("/api/v1/*"));
                }
            }
        }
        Set<Grant> grants = grants();
        List<String> reads = List.of("/pods", "/services", "/persistentvolumeclaims", "apps/statefulsets", "apps/deployments",
                "apps/daemonsets", "apps/replicasets", "autoscaling/horizontalpodautoscalers",
                "autoscaling.k8s.io/verticalpodautoscalers", "storage.k8s.io/storageclasses",
                "monitoring.coreos.com/prometheuses", "monitoring.coreos.com/prometheusagents");
        for (String r : reads) {
            String[] gr = r.split("/");
            for (String verb : List.of("get", "list", "watch")) {
                assertThat(grants).as("reads " + r).contains(new Grant(gr[0], gr[1], verb, "cluster"));
            }
        }
        // The hashring lives with the receivers, which may be another namespace than the autoscaler's.
        String hashringScope = grants.stream().filter(g -> g.resource().equals("configmaps/thanos-receive-hashring")
                && g.verb().equals("get")).map(Grant::scope).findFirst()
                .orElseThrow(() -> new AssertionError("no get on ConfigMap thanos-receive-hashring"));
        Set<Grant> writes = new TreeSet<>(java.util.Comparator.comparing(Grant::toString));
        grants.stream().filter(g -> WRITE_VERBS.contains(g.verb())).forEach(writes::add);
        Set<Grant> allowed = new TreeSet<>(java.util.Comparator.comparing(Grant::toString));
        allowed.addAll(List.of(
                new Grant("", "events", "create", "cluster"), new Grant("", "events", "patch", "cluster"),
                new Grant("events.k8s.io", "events", "create", "cluster"), new Grant("events.k8s.io", "events", "patch", "cluster"),
                new Grant("coordination.k8s.io", "leases", "create", namespace),
                new Grant("coordination.k8s.io", "leases/remote-write-autoscaler", "update", namespace),
                new Grant("authentication.k8s.io", "tokenreviews", "create", "cluster"),
                new Grant("authorization.k8s.io", "subjectaccessreviews", "create", "cluster")));
        assertThat(grants).as("leader election and hashring reads").contains(
                new Grant("coordination.k8s.io", "leases/remote-write-autoscaler", "get", namespace),
                new Grant("", "configmaps/extension-apiserver-authentication", "get", "kube-system"));
        // Each loop in apply mode adds its own writes, and nothing else does.
        List<Grant> shards = List.of(new Grant("monitoring.coreos.com", "prometheuses", "patch", "cluster"),
                new Grant("monitoring.coreos.com", "prometheusagents", "patch", "cluster"));
        List<Grant> policy = List.of(new Grant("apps", "statefulsets", "patch", "cluster"),
                new Grant("apps", "statefulsets/scale", "patch", "cluster"), new Grant("", "persistentvolumeclaims", "patch", "cluster"));
        List<Grant> hashring = List.of(new Grant("", "configmaps", "create", hashringScope),
                new Grant("", "configmaps/thanos-receive-hashring", "patch", hashringScope));
        if (loops.shards()) {
            allowed.addAll(shards);
        }
        if (loops.policy()) {
            allowed.addAll(policy);
        }
        if (loops.hashring()) {
            allowed.addAll(hashring);
        }
        assertThat(writes).as("write permissions with " + loops).containsExactlyElementsOf(allowed);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Every AUTOSCALER_* variable the install sets names a key the service knows. */
    void everyVariableIsAKnownKey() {
        io.rwautoscaler.config.EnvironmentKeys keys = io.rwautoscaler.config.EnvironmentKeys.ofTheService();
        ConfigMap config = configuration();
        config.getData().keySet().forEach(k -> assertThat(keys.knows(k))
                .as("%s sets %s, which no @ConfigMapping in io.rwautoscaler.config declares", config.getMetadata().getName(), k)
                .isTrue());
        for (var e : container().getEnv()) {
            if (e.getName().startsWith("AUTOSCALER_")) {
                assertThat(keys.knows(e.getName())).as("Deployment env %s is not a known key", e.getName()).isTrue();
            }
        }
    }

    /**
     * Delegation of one metrics group (autoscaler.delegate.{custom,external}.*): the other adapter's URL and this
     * service's own token in the configuration, read access to that group for this service's account, and the CA,
     * when given, in a ConfigMap mounted where the configuration says; {@code url} null = no delegation at all.
     */
    void delegates(String group, String url, String caPem) {
        String prefix = "AUTOSCALER_DELEGATE_" + group.toUpperCase(java.util.Locale.ROOT) + "_";
        String apiGroup = group + ".metrics.k8s.io";
        ConfigMap cm = configuration();
        if (url == null) {
            assertThat(cm.getData().keySet()).noneMatch(k -> k.startsWith(prefix));
            assertThat(grants()).noneMatch(g -> g.group().equals(apiGroup));
            return;
        }
        assertThat(cm.getData()).containsEntry(prefix + "URL", url)
                .containsEntry(prefix + "TOKEN_FILE", "/var/run/secrets/kubernetes.io/serviceaccount/token");
        assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken()).isNotEqualTo(Boolean.FALSE);
        assertThat(grants()).contains(new Grant(apiGroup, "*", "get", "cluster"), new Grant(apiGroup, "*", "list", "cluster"));
        String file = cm.getData().get(prefix + "CA_FILE");
        if (caPem == null) {
            assertThat(file).as(prefix + "CA_FILE").isNull();
            return;
        }
        assertThat(file).as(prefix + "CA_FILE").isNotNull();
        Path path = Path.of(file);
        var mount = container().getVolumeMounts().stream().filter(vm -> path.startsWith(vm.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mounted where " + prefix + "CA_FILE points: " + file));
        var volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        ConfigMap ca = m.ofKind("ConfigMap").stream()
                .filter(n -> volume.getConfigMap() != null && volume.getConfigMap().getName().equals(n.path("metadata").path("name").asText()))
                .map(n -> Manifests.as(n, ConfigMap.class)).findFirst()
                .orElseThrow(() -> new AssertionError("the CA ConfigMap of " + prefix + "CA_FILE is not rendered"));
        assertThat(ca.getData().get(Path.of(mount.getMountPath()).relativize(path).toString())).isEqualTo(caPem);
    }

    /** The KEDA external scaler: switched on in the configuration and reachable through the Service on 9443. */
    void kedaScalerExposed(boolean expected) {
        ConfigMap cm = configuration();
        var port = service.getSpec().getPorts().stream().filter(p -> "keda-scaler".equals(p.getName())).findFirst();
        if (!expected) {
            assertThat(cm.getData()).doesNotContainKey("AUTOSCALER_KEDA_ENABLED");
            assertThat(port).isEmpty();
            return;
        }
        assertThat(cm.getData()).containsEntry("AUTOSCALER_KEDA_ENABLED", "true");
        assertThat(port).isPresent();
        assertThat(port.get().getPort()).isEqualTo(9443);
        assertThat(containerPort(port.get().getTargetPort().getStrVal())).as("quarkus.grpc.server.port").isEqualTo(9443);
    }

    void configuredMode(Loops loops) {
        ConfigMap cm = configuration();
        assertThat(cm.getData()).containsEntry("AUTOSCALER_SHARDS_MODE", loops.shards() ? "apply" : "recommend")
                .containsEntry("AUTOSCALER_POLICY_MODE", loops.policy() ? "apply" : "recommend")
                .containsEntry("AUTOSCALER_RECEIVERS_HASHRING_SYNC", Boolean.toString(loops.hashring()));
    }
}
