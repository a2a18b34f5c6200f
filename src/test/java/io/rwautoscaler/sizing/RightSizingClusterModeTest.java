package io.rwautoscaler.sizing;

import io.rwautoscaler.testsupport.SwitchableLeadership;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.core.sizing.ContainerRecommendation;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;
import io.rwautoscaler.testsupport.CannedKubePrometheusServer;
import io.rwautoscaler.testsupport.CannedKubePrometheusServerResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cluster mode against the Kubernetes mock server: workloads, requests, the HPA and a VPA's bounds come from the
 * API; a flagged recommendation becomes one Event on its workload (written by the leader), and another only when it
 * changes.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(RightSizingClusterModeTest.ClusterMode.class)
@QuarkusTestResource(value = CannedKubePrometheusServerResource.class, restrictToAnnotatedClass = true)
class RightSizingClusterModeTest {

    public static class ClusterMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoscaler.kubernetes.enabled", "true", "autoscaler.rightsizing.price.pod-hour", "0.05");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(SwitchableLeadership.class);
        }
    }

    static final long MI = 1L << 20;

    @Inject
    KubernetesClient client;
    @Inject
    RightSizingLoop loop;
    @Inject
    SwitchableLeadership leadership;

    CannedKubePrometheusServer prometheus;

    @Test
    void sizesFromTheApiAndRecordsAnEventOnlyWhenARecommendationAppearsOrChanges() {
        statefulSet("prometheus-agent", 2, "prometheus", "500m", "512Mi", null, "1Gi");
        statefulSet("thanos-receive", 5, "thanos-receive", "1", "2Gi", "4", "8Gi");
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("monitoring").resource(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName("thanos-receive").withNamespace("monitoring").endMetadata()
                .withNewSpec().withMinReplicas(3).withMaxReplicas(10)
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("StatefulSet").withName("thanos-receive").endScaleTargetRef()
                .withMetrics(utilization("cpu", 70), utilization("memory", 75), new MetricSpecBuilder().withType("Pods")
                        .withNewPods().withNewMetric().withName("prometheus_remote_storage_queue_length").endMetric()
                        .withNewTarget().withType("AverageValue").withAverageValue(new Quantity("3k")).endTarget().endPods().build())
                .endSpec().build()).create();
        // A VPA that keeps the agent's CPU at 250m or more: its bound wins over the 200m usage suggests.
        GenericKubernetesResource vpa = new GenericKubernetesResourceBuilder()
                .withApiVersion("autoscaling.k8s.io/v1").withKind("VerticalPodAutoscaler")
                .withNewMetadata().withName("prometheus-agent").withNamespace("monitoring").endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of(
                        "targetRef", Map.of("apiVersion", "apps/v1", "kind", "StatefulSet", "name", "prometheus-agent"),
                        "updatePolicy", Map.of("updateMode", "Off"),
                        "resourcePolicy", Map.of("containerPolicies", List.of(Map.of("containerName", "*",
                                "minAllowed", Map.of("cpu", "250m", "memory", "128Mi"),
                                "maxAllowed", Map.of("cpu", "2", "memory", "4Gi")))))))
                .build();
        client.genericKubernetesResources(KubeWorkloadInventory.VPA).inNamespace("monitoring").resource(vpa).create();
        prometheus.workloads(List.of(usage("StatefulSet", "prometheus-agent", 2, "prometheus", 0.18, 260 * MI),
                usage("StatefulSet", "thanos-receive", 5, "thanos-receive", 0.35, 800 * MI)));

        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        // A replica that is not the leader reports, but leaves the Events to the leader.
        leadership.set(false);
        loop.runOnce(now.minus(Duration.ofHours(1)));
        assertThat(events()).isEmpty();
        leadership.set(true);
        RightSizingRun run = loop.runOnce(now).orElseThrow();

        ContainerRecommendation agent = item(run, "prometheus-agent").containers().get(0);
        assertThat(agent.current().cpuRequest()).hasValue(0.5);
        assertThat(agent.current().memoryLimit()).hasValue(1024 * MI);
        assertThat(agent.cpu().recommendedRequest()).hasValue(0.25);
        assertThat(agent.cpu().reason()).contains("→ 250m (bounds min)");
        assertThat(agent.memory().recommendedRequest()).hasValue(304.0 * MI);
        WorkloadRecommendation receivers = item(run, "thanos-receive");
        assertThat(receivers.replicas().orElseThrow().recommended()).isEqualTo(3);
        assertThat(receivers.replicas().orElseThrow().reason()).contains("it also scales on other metrics");
        assertThat(receivers.cost().saving()).isEqualByComparingTo("73.00");

        List<Event> events = events();
        assertThat(events).hasSize(2);
        Event onAgent = events.stream().filter(e -> e.getInvolvedObject().getName().equals("prometheus-agent")).findFirst().orElseThrow();
        assertThat(onAgent.getInvolvedObject().getKind()).isEqualTo("StatefulSet");
        assertThat(onAgent.getInvolvedObject().getApiVersion()).isEqualTo("apps/v1");
        assertThat(onAgent.getReason()).isEqualTo("RightSizing");
        assertThat(onAgent.getType()).isEqualTo("Normal");
        assertThat(onAgent.getSource().getComponent()).isEqualTo("remote-write-autoscaler");
        assertThat(onAgent.getMessage()).isEqualTo("right-sizing recommends container prometheus cpu request 500m → 250m; "
                + "container prometheus memory request 512Mi → 304Mi (flag only, nothing was changed)");

        // An hour later, the same recommendations: no new Event (not one every hour).
        loop.runOnce(now.plus(Duration.ofHours(1)));
        assertThat(events()).hasSize(2);

        // The agent now needs more memory: its recommendation changed, so one more Event, on the agent.
        prometheus.workloads(List.of(usage("StatefulSet", "prometheus-agent", 2, "prometheus", 0.18, 700 * MI),
                usage("StatefulSet", "thanos-receive", 5, "thanos-receive", 0.35, 800 * MI)));
        loop.runOnce(now.plus(Duration.ofHours(2)));
        assertThat(events()).hasSize(3).extracting(Event::getMessage)
                .anySatisfy(m -> assertThat(m).contains("memory request 512Mi → 816Mi"));

        // Every /api/v1 report names its kind and apiVersion (issue 14 item 5).
        given().get("/api/v1/rightsizing").then().statusCode(200)
                .body("kind", org.hamcrest.Matchers.equalTo("RightSizingReport"))
                .body("apiVersion", org.hamcrest.Matchers.equalTo("rwa/v1"));
    }

    List<Event> events() {
        return client.v1().events().inNamespace("monitoring").list().getItems();
    }

    static WorkloadRecommendation item(RightSizingRun run, String name) {
        return run.report().items().stream().filter(i -> i.workload().name().equals(name)).findFirst().orElseThrow();
    }

    void statefulSet(String name, int replicas, String container, String cpu, String memory, String cpuLimit,
                     String memoryLimit) {
        var resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory));
        if (cpuLimit != null) {
            resources.addToLimits("cpu", new Quantity(cpuLimit));
        }
        resources.addToLimits("memory", new Quantity(memoryLimit));
        client.apps().statefulSets().inNamespace("monitoring").resource(new StatefulSetBuilder()
                .withNewMetadata().withName(name).withNamespace("monitoring").addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().withContainers(new ContainerBuilder().withName(container).withImage("example/" + container)
                        .withResources(resources.build()).build()).endSpec().endTemplate()
                .endSpec().build()).create();
    }

    static io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec utilization(String resource, int percent) {
        return new MetricSpecBuilder().withType("Resource").withNewResource().withName(resource)
                .withNewTarget().withType("Utilization").withAverageUtilization(percent).endTarget().endResource().build();
    }

    /** Usage the fake Prometheus serves for a workload's pods; requests there are unused in cluster mode. */
    static CannedKubePrometheusServer.Workload usage(String kind, String name, int replicas, String container, double cpu, long memory) {
        return new CannedKubePrometheusServer.Workload("monitoring", kind, name, replicas,
                List.of(new CannedKubePrometheusServer.Container(container, null, null, cpu, memory)), null);
    }
}
