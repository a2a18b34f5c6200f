package io.rwautoscaler.receivers;

import io.rwautoscaler.testsupport.SwitchableLeadership;

import io.rwautoscaler.testsupport.KubeMockProfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwautoscaler.kube.KubeEvents;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.core.receivers.HashringLayout;
import io.rwautoscaler.core.receivers.TenantHashring;
import io.rwautoscaler.core.receivers.HashringOutcome;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static io.rwautoscaler.receivers.ReceiverObjects.CONFIGMAP;
import static io.rwautoscaler.receivers.ReceiverObjects.KEY;
import static io.rwautoscaler.receivers.ReceiverObjects.NS;
import static io.rwautoscaler.receivers.ReceiverObjects.STS;
import static io.rwautoscaler.receivers.ReceiverObjects.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

/** The hashring ConfigMap against the Kubernetes mock server (CRUD), driven by {@link HashringLoop#runOnce}. */
@WithKubernetesTestServer(crud = true)
@QuarkusTest
@TestProfile(KubeMockProfile.class)
class HashringSyncMockServerTest {

    static final Instant BASE = Instant.parse("2026-11-25T12:00:00Z");
    // Each test gets its own day, so Event repeat suppression of one test never hides another's Events.
    static final AtomicInteger DAY = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;
    @Inject
    HashringLoop loop;
    @Inject
    ReceiverPolicyLoop policyLoop;
    @Inject
    SwitchableLeadership leadership;

    ReceiverObjects objects;
    Instant now;

    @BeforeEach
    void emptyNamespace() {
        objects = new ReceiverObjects(client);
        objects.clear();
        leadership.set(true);
        now = BASE.plus(Duration.ofDays(DAY.incrementAndGet()));
    }

    HashringStatus sync() {
        now = now.plusSeconds(15);
        return loop.runOnce(now);
    }

    List<String> endpointsInConfigMap() throws Exception {
        JsonNode rings = JSON.readTree(objects.configMap().getData().get(KEY));
        assertThat(rings).hasSize(1);
        assertThat(rings.get(0).path("hashring").asText()).isEqualTo("default");
        return JSON.convertValue(rings.get(0).path("endpoints"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    static List<String> endpoints(int... ordinals) {
        return IntStream.of(ordinals).mapToObj(ReceiverObjects::endpoint).toList();
    }

    @Test
    void aMissingConfigMapIsCreatedFromTheReadyPods() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);

        HashringStatus status = sync();

        assertThat(status.outcome()).isEqualTo(HashringOutcome.CREATED);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2));
        // exactly the runbook's JSON, compact
        assertThat(objects.configMap().getData().get(KEY)).isEqualTo("[{\"hashring\":\"default\",\"endpoints\":[\""
                + endpoint(0) + "\",\"" + endpoint(1) + "\",\"" + endpoint(2) + "\"]}]");
        assertThat(objects.configMap().getMetadata().getAnnotations()).containsKey(HashringSync.HASH_ANNOTATION)
                .containsEntry(HashringSync.CHANGED_ANNOTATION, now.toString());
        assertThat(objects.events("HashringCreated")).singleElement().satisfies(e ->
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("ConfigMap"));
    }

    @Test
    void scalingFromThreeToFiveReceiversWritesFiveEndpointsInOrdinalOrder() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();

        objects.scale(5);
        objects.pod(4, true); // pod 4 ready before pod 3: the order still follows the ordinals
        objects.pod(3, true);
        HashringStatus status = sync();

        assertThat(status.outcome()).isEqualTo(HashringOutcome.UPDATED);
        assertThat(status.inSync()).contains(true);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2, 3, 4));
        assertThat(objects.events("HashringUpdated")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getMessage()).contains("3 → 5 endpoints").contains("added thanos-receive-3, thanos-receive-4");
        });
        assertThat(status.lastChange()).contains(now);
    }

    @Test
    void aNewPodIsOnlyAddedOnceItIsReady() throws Exception {
        objects.statefulSet(4);
        objects.readyPods(3);
        objects.pod(3, false);

        sync();
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2));

        objects.setReady(3, true);
        sync();
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2, 3));
    }

    @Test
    void aPodTurningUnreadyIsTakenOutOfTheHashring() throws Exception {
        objects.statefulSet(5);
        objects.readyPods(5);
        sync();

        objects.setReady(2, false);
        HashringStatus status = sync();

        assertThat(status.outcome()).isEqualTo(HashringOutcome.UPDATED);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 3, 4));
        assertThat(objects.events("HashringUpdated")).singleElement().satisfies(e ->
                assertThat(e.getMessage()).contains("5 → 4 endpoints").contains("removed thanos-receive-2"));
    }

    @Test
    void nothingIsWrittenWhenNothingChanged() {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();
        String resourceVersion = objects.configMap().getMetadata().getResourceVersion();
        int events = objects.events().size();

        HashringStatus again = sync();
        HashringStatus andAgain = sync();

        assertThat(again.outcome()).isEqualTo(HashringOutcome.IN_SYNC);
        assertThat(andAgain.outcome()).isEqualTo(HashringOutcome.IN_SYNC);
        assertThat(objects.configMap().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
        assertThat(objects.events()).hasSize(events);
    }

    @Test
    void anEndpointOrderOnlyDifferenceIsNoChange() {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();
        String reordered = "[{\"hashring\":\"default\",\"endpoints\":[\"" + endpoint(2) + "\",\"" + endpoint(0) + "\",\"" + endpoint(1) + "\"]}]";
        ConfigMap edited = client.configMaps().inNamespace(NS).withName(CONFIGMAP)
                .edit(cm -> new ConfigMapBuilder(cm).addToData(KEY, reordered).build());

        assertThat(sync().outcome()).isEqualTo(HashringOutcome.IN_SYNC);
        assertThat(objects.configMap().getMetadata().getResourceVersion()).isEqualTo(edited.getMetadata().getResourceVersion());
    }

    @Test
    void aConfigMapEditedByHandIsOverwrittenWithAWarningEvent() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();
        client.configMaps().inNamespace(NS).withName(CONFIGMAP).edit(cm -> new ConfigMapBuilder(cm)
                .addToData(KEY, "[{\"hashring\": \"default\", \"endpoints\": [\"" + endpoint(0) + "\"]}]").build());

        HashringStatus status = sync();

        assertThat(status.outcome()).isEqualTo(HashringOutcome.OVERWRITTEN);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2));
        assertThat(objects.events("HashringOverwritten")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("edited by hand").contains("autoscaler.receivers.hashring.sync=false");
            assertThat(e.getInvolvedObject().getName()).isEqualTo(CONFIGMAP);
        });
    }

    @Test
    void aHandWrittenConfigMapThisServiceNeverWroteIsTakenOverWhenItDiffers() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS)
                .withName(CONFIGMAP).endMetadata().addToData(KEY, "not json").addToData("other", "kept").build()).create();

        assertThat(sync().outcome()).isEqualTo(HashringOutcome.OVERWRITTEN);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2));
        assertThat(objects.configMap().getData()).containsEntry("other", "kept");
    }

    @Test
    void withSyncOffAHandEditedConfigMapIsLeftAloneAndReported() {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();
        ConfigMap edited = client.configMaps().inNamespace(NS).withName(CONFIGMAP).edit(cm -> new ConfigMapBuilder(cm)
                .addToData(KEY, "[{\"hashring\":\"default\",\"endpoints\":[\"" + endpoint(0) + "\"]}]").build());
        HashringSync syncOff = new HashringSync(client, new KubeEvents(Optional.of(client), "rwa-0", Optional.empty(), Optional.of(Duration.ofMinutes(10))),
                HashringLayout.of(STS, NS, STS), CONFIGMAP, KEY, false, false);

        HashringStatus status = syncOff.sync(now.plusSeconds(15), true);

        assertThat(status.outcome()).isEqualTo(HashringOutcome.OUT_OF_SYNC);
        assertThat(status.inSync()).contains(false);
        assertThat(status.message()).contains("edited by hand").contains("left alone");
        assertThat(status.currentEndpoints()).containsExactly(endpoint(0));
        assertThat(objects.configMap().getMetadata().getResourceVersion()).isEqualTo(edited.getMetadata().getResourceVersion());
        assertThat(objects.events("HashringOverwritten")).isEmpty();
    }

    /** The ConfigMap as the thanos-receive-controller leaves it: its hashring key owned by its field manager. */
    ConfigMap writtenByAnotherController(String manager, java.util.Map<String, String> labels, int... ordinals) {
        String json = "[{\"hashring\":\"default\",\"endpoints\":[" + String.join(",", endpoints(ordinals).stream()
                .map(e -> "\"" + e + "\"").toList()) + "]}]";
        return client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS)
                .withName(CONFIGMAP).withLabels(labels).addNewManagedField().withManager(manager).withOperation("Update")
                .withApiVersion("v1").withFieldsType("FieldsV1").withNewFieldsV1()
                .addToAdditionalProperties("f:data", java.util.Map.of(".", java.util.Map.of(), "f:" + KEY, java.util.Map.of()))
                .endFieldsV1().endManagedField().endMetadata().addToData(KEY, json).build()).create();
    }

    HashringSync takingOver() {
        return new HashringSync(client, new KubeEvents(Optional.of(client), "rwa-0", Optional.empty(), Optional.of(Duration.ofMinutes(10))),
                HashringLayout.of(STS, NS, STS), CONFIGMAP, KEY, true, false, true);
    }

    @Test
    void aConfigMapTheThanosReceiveControllerManagesIsNotTakenOver() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        ConfigMap theirs = writtenByAnotherController("thanos-receive-controller", java.util.Map.of(), 0);
        assertThat(theirs.getMetadata().getManagedFields()).as("the mock server keeps managedFields").hasSize(1);
        double refusalsBefore = refusals();

        HashringStatus status = sync();
        policyLoop.runOnce(now);

        assertThat(status.outcome()).isEqualTo(HashringOutcome.REFUSED_OTHER_CONTROLLER);
        assertThat(status.inSync()).contains(false);
        assertThat(status.message()).contains("managed by thanos-receive-controller (field manager of data.hashrings.json)")
                .contains("autoscaler.receivers.hashring.take-over=true");
        assertThat(status.currentEndpoints()).containsExactly(endpoint(0));
        assertThat(objects.configMap().getMetadata().getResourceVersion()).isEqualTo(theirs.getMetadata().getResourceVersion());
        assertThat(endpointsInConfigMap()).containsExactly(endpoint(0));
        assertThat(objects.events("HashringTakeOverRefused")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo(CONFIGMAP);
            assertThat(e.getMessage()).contains("thanos-receive-controller").contains("take-over=true");
        });
        assertThat(objects.events("HashringOverwritten")).isEmpty();
        JsonNode report = JSON.readTree(given().get("/api/v1/receivers").then().statusCode(200).extract().asString());
        assertThat(report.path("hashring").path("outcome").asText()).isEqualTo("REFUSED_OTHER_CONTROLLER");
        assertThat(report.path("hashring").path("message").asText()).contains("managed by thanos-receive-controller");
        assertThat(refusals()).isEqualTo(refusalsBefore + 1);

        // the next sync refuses again, and the Event is not repeated within the cooldown
        assertThat(sync().outcome()).isEqualTo(HashringOutcome.REFUSED_OTHER_CONTROLLER);
        assertThat(objects.events("HashringTakeOverRefused")).hasSize(1);
        assertThat(refusals()).isEqualTo(refusalsBefore + 2);
    }

    @Test
    void aManagedByLabelNamingAnotherControllerIsNotTakenOver() {
        objects.statefulSet(3);
        objects.readyPods(3);
        ConfigMap theirs = client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withNamespace(NS)
                .withName(CONFIGMAP).addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata()
                .addToData(KEY, "[]").build()).create();

        HashringStatus status = sync();

        assertThat(status.outcome()).isEqualTo(HashringOutcome.REFUSED_OTHER_CONTROLLER);
        assertThat(status.message()).contains("managed by Helm (label app.kubernetes.io/managed-by=Helm)");
        assertThat(objects.configMap().getMetadata().getResourceVersion()).isEqualTo(theirs.getMetadata().getResourceVersion());
    }

    @Test
    void withTakeOverTheOtherControllersConfigMapIsOverwrittenWithAWarningEvent() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        writtenByAnotherController("thanos-receive-controller", java.util.Map.of(), 0);

        HashringStatus status = takingOver().sync(now, true);

        assertThat(status.outcome()).isEqualTo(HashringOutcome.OVERWRITTEN);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2));
        assertThat(objects.events("HashringOverwritten")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).contains("managed by thanos-receive-controller").contains("taken over");
        });
        assertThat(objects.events("HashringTakeOverRefused")).isEmpty();
    }

    @Test
    void aKeyLastWrittenWithKubectlIsAHandEditAndOverwritten() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        writtenByAnotherController("kubectl-edit", java.util.Map.of(), 0);

        assertThat(sync().outcome()).isEqualTo(HashringOutcome.OVERWRITTEN);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2));
        assertThat(objects.events("HashringOverwritten")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("edited by hand"));
    }

    @Test
    void aReplicaThatIsNotTheLeaderReportsTheRefusalWithoutAnEvent() {
        objects.statefulSet(3);
        objects.readyPods(3);
        writtenByAnotherController("thanos-receive-controller", java.util.Map.of(), 0);
        leadership.set(false);

        assertThat(sync().outcome()).isEqualTo(HashringOutcome.REFUSED_OTHER_CONTROLLER);
        assertThat(objects.events()).isEmpty();
    }

    double refusals() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("rwa_receiver_hashring_take_over_refusals_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("rwa_receiver_hashring_take_over_refusals_total not in /q/metrics"));
    }

    @Test
    void withNoReadyPodTheOldHashringIsKept() {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();
        String resourceVersion = objects.configMap().getMetadata().getResourceVersion();
        for (int i = 0; i < 3; i++) {
            objects.setReady(i, false);
        }

        HashringStatus status = sync();

        assertThat(status.outcome()).isEqualTo(HashringOutcome.HELD_NO_READY_POD);
        assertThat(status.message()).contains("an empty one would drop every write");
        assertThat(status.currentEndpoints()).containsExactlyElementsOf(endpoints(0, 1, 2));
        assertThat(objects.configMap().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
        assertThat(objects.events("HashringHeld")).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void aStatefulSetThatDisappearsIsReportedAndNothingIsWritten() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();
        String resourceVersion = objects.configMap().getMetadata().getResourceVersion();
        client.apps().statefulSets().inNamespace(NS).withName(STS).delete();

        HashringStatus status = sync();
        policyLoop.runOnce(now);

        assertThat(status.outcome()).isEqualTo(HashringOutcome.STATEFULSET_MISSING);
        assertThat(status.inSync()).isEmpty();
        assertThat(objects.configMap().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
        JsonNode report = JSON.readTree(given().get("/api/v1/receivers").then().statusCode(200).extract().asString());
        assertThat(report.path("kind").asText()).isEqualTo("ReceiverPolicyReport"); // every /api/v1 report (issue 14 item 5)
        assertThat(report.path("apiVersion").asText()).isEqualTo("rwa/v1");
        assertThat(report.path("hashring").path("outcome").asText()).isEqualTo("STATEFULSET_MISSING");
        assertThat(report.path("hashring").path("currentEndpoints")).hasSize(3);
        assertThat(report.path("noDecision").asText()).contains("StatefulSet monitoring/thanos-receive not found");
        assertThat(report.path("fleet").path("replicas").isNull()).isTrue();
        assertThat(report.path("recommendations")).isEmpty();
        // no Prometheus behind this profile: every rule is unknown, and says so
        assertThat(report.path("rules")).allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("UNKNOWN"));
    }

    @Test
    void aReplicaThatIsNotTheLeaderReportsButWritesNothing() {
        objects.statefulSet(3);
        objects.readyPods(3);
        leadership.set(false);

        HashringStatus status = sync();

        assertThat(status.outcome()).isEqualTo(HashringOutcome.OUT_OF_SYNC);
        assertThat(status.message()).contains("not the leader");
        assertThat(objects.configMap()).isNull();
        assertThat(objects.events()).isEmpty();
    }

    @Test
    void rollOnChangeBumpsThePodTemplateAndHoldsTheHashringDuringTheRollout() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        HashringSync rolling = new HashringSync(client, new KubeEvents(Optional.of(client), "rwa-0", Optional.empty(), Optional.of(Duration.ofMinutes(10))),
                HashringLayout.of(STS, NS, STS), CONFIGMAP, KEY, true, true);

        HashringStatus created = rolling.sync(now, true);

        assertThat(created.rolled()).isTrue();
        String hash = objects.configMap().getMetadata().getAnnotations().get(HashringSync.HASH_ANNOTATION);
        assertThat(objects.statefulSet().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(HashringSync.ROLL_ANNOTATION, hash);
        assertThat(objects.events("RollingForHashring")).singleElement().satisfies(e ->
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("StatefulSet"));

        // the StatefulSet controller rolls pod 2: it turns unready while the revisions differ
        client.apps().statefulSets().inNamespace(NS).withName(STS).edit(s -> new StatefulSetBuilder(s).withNewStatus()
                .withReplicas(3).withCurrentRevision("thanos-receive-a").withUpdateRevision("thanos-receive-b").endStatus().build());
        objects.setReady(2, false);
        HashringStatus held = rolling.sync(now.plusSeconds(15), true);

        assertThat(held.outcome()).isEqualTo(HashringOutcome.HELD_ROLLOUT);
        assertThat(endpointsInConfigMap()).containsExactlyElementsOf(endpoints(0, 1, 2));
    }

    @Test
    void perTenantHashringsListEveryReadyPodWithTheirTenants() throws Exception {
        objects.statefulSet(2);
        objects.readyPods(2);
        HashringLayout layout = HashringLayout.of(STS, NS, STS).withHashrings(List.of(
                new TenantHashring("team-a", List.of("tenant-a")), TenantHashring.DEFAULT));
        new HashringSync(client, new KubeEvents(Optional.of(client), "rwa-0", Optional.empty(), Optional.of(Duration.ofMinutes(10))), layout, CONFIGMAP, KEY, true, false)
                .sync(now, true);

        JsonNode rings = JSON.readTree(objects.configMap().getData().get(KEY));
        assertThat(rings).hasSize(2);
        assertThat(rings.get(0).path("hashring").asText()).isEqualTo("team-a");
        assertThat(rings.get(0).path("tenants").get(0).asText()).isEqualTo("tenant-a");
        assertThat(rings.get(1).path("hashring").asText()).isEqualTo("default");
        assertThat(rings.get(1).has("tenants")).isFalse();
        assertThat(rings.get(1).path("endpoints")).hasSize(2);
    }

    @Test
    void theReportShowsTheHashring() throws Exception {
        objects.statefulSet(3);
        objects.readyPods(3);
        sync();
        policyLoop.runOnce(now);

        JsonNode hashring = JSON.readTree(given().get("/api/v1/receivers").then().statusCode(200).extract().asString()).path("hashring");

        assertThat(hashring.path("inSync").asBoolean()).isTrue();
        assertThat(hashring.path("configMap").asText()).isEqualTo(NS + "/" + CONFIGMAP);
        assertThat(hashring.path("endpoints")).hasSize(3);
        assertThat(hashring.path("lastChange").asText()).isEqualTo(now.toString());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("rwa_receiver_hashring_in_sync 1.0").contains("rwa_receiver_hashring_endpoints 3.0");
    }
}
