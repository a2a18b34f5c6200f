package io.rwautoscaler.receivers;

import io.rwautoscaler.testsupport.KubeMockProfile;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.rwautoscaler.core.receivers.ReceiverFleet;
import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.RuleAction;
import io.rwautoscaler.core.receivers.RuleEvaluation;
import io.rwautoscaler.core.receivers.RuleHoldHistory;
import io.rwautoscaler.core.receivers.RuleObservation;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.core.receivers.ScalingDecision;
import io.rwautoscaler.core.receivers.ActionResult;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rwautoscaler.receivers.ReceiverObjects.NS;
import static io.rwautoscaler.receivers.ReceiverObjects.STS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apply mode against the Kubernetes mock server (CRUD): replicas only without an HPA, PVCs only where the
 * StorageClass allows expansion, a server-side dry-run before every patch, cooldowns, Events.
 *
 * <p>The mock server ignores {@code dryRun=All} and would persist the dry-run; an expectation answers those
 * requests instead (expectations come before CRUD), as a real API server would, without storing anything.
 */
@WithKubernetesTestServer(crud = true)
@QuarkusTest
@TestProfile(KubeMockProfile.class)
class ReceiverScalerMockServerTest {

    static final Instant BASE = Instant.parse("2026-11-25T12:00:00Z");
    static final AtomicInteger DAY = new AtomicInteger();
    static final ReceiverPolicy POLICY = ReceiverPolicy.defaults();
    static final String STS_PATH = "/apis/apps/v1/namespaces/monitoring/statefulsets/thanos-receive";
    static final String PVC_PATH = "/api/v1/namespaces/monitoring/persistentvolumeclaims/data-thanos-receive-";

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    KubernetesClient client;
    @Inject
    ReceiverActions actions;
    @Inject
    ReceiverFleetSource fleetSource;

    ReceiverObjects objects;
    Instant now;

    @BeforeEach
    void emptyNamespace() throws InterruptedException {
        objects = new ReceiverObjects(client);
        objects.clear();
        now = BASE.plus(Duration.ofDays(DAY.incrementAndGet()));
        objects.statefulSet(3);
        objects.readyPods(3);
        server.getKubernetesMockServer().clearExpectations(); // a rejecting one a previous test set
        answerDryRun(STS_PATH, 200);
        for (int i = 0; i < 3; i++) {
            answerDryRun(PVC_PATH + i, 200);
        }
        requests();
    }

    void answerDryRun(String path, int code) {
        server.expect().patch().withPath(path + "?dryRun=All").andReturn(code, code == 200 ? "{}"
                : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"admission webhook denied the request\",\"code\":" + code + "}")
                .always();
    }

    /** Requests the mock received since the last call, as "METHOD path". */
    List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r; (r = server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
            // Leader election renews its Lease on its own schedule: those requests are not the scaler's.
            if (!r.getPath().startsWith("/apis/coordination.k8s.io/")) {
                out.add(r.getMethod() + " " + r.getPath());
            }
        }
        return out;
    }

    ScalingDecision decision(Map<String, RuleObservation> observations, ReceiverFleet fleet) {
        RuleEvaluation evaluation = RuleEvaluation.evaluate(POLICY, observations, RuleHoldHistory.empty(), now);
        return ScalingDecision.decide(POLICY, evaluation, fleet);
    }

    ScalingDecision cpuHighAt16000(boolean hpaOwned) {
        return decision(Map.of(RunbookRules.RECEIVER_CPU_HIGH, RuleObservation.of(0.95, 0.95)),
                ReceiverFleet.of(3, hpaOwned, 16000));
    }

    ScalingDecision volumeHigh() {
        return decision(Map.of(RunbookRules.RECEIVER_VOLUME_HIGH, RuleObservation.of(0.75, 0.76)),
                ReceiverFleet.of(3, false, 8000));
    }

    List<ActionOutcome> apply(ScalingDecision decision) {
        return actions.act(decision, new ReceiverActions.Context(true, true, Optional.empty(), now));
    }

    @Test
    void theFleetIsTheStatefulSetsReplicasAndItsHpa() {
        ReceiverFleetSource.Observation fleet = fleetSource.observe(now);
        assertThat(fleet.replicas()).contains(3);
        assertThat(fleet.hpaOwned()).isFalse();

        objects.hpa();
        assertThat(fleetSource.observe(now).hpa()).contains(STS);
        assertThat(fleetSource.observe(now).hpaOwned()).isTrue();
        assertThat(fleetSource.observe(now).hpaMetrics()).get().asString().startsWith("unknown");

        // the HPA cannot get the queue length this service should serve: the report says so
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(STS).edit(h -> new HorizontalPodAutoscalerBuilder(h)
                .withNewStatus().withCurrentReplicas(3).withDesiredReplicas(3).addNewCondition().withType("ScalingActive")
                .withStatus("False").withReason("FailedGetPodsMetric")
                .withMessage("unable to get metric prometheus_remote_storage_queue_length").endCondition().endStatus().build());
        assertThat(fleetSource.observe(now).hpaMetrics()).get().asString()
                .startsWith("NOT served: ScalingActive=False (FailedGetPodsMetric)");

        client.apps().statefulSets().inNamespace(NS).withName(STS).delete();
        assertThat(fleetSource.observe(now).problem()).contains("StatefulSet monitoring/thanos-receive not found");
    }

    @Test
    void replicasArePatchedAfterADryRunWhenNoHpaOwnsThem() throws Exception {
        List<ActionOutcome> outcomes = apply(cpuHighAt16000(false));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.action()).isEqualTo(RuleAction.ADD_RECEIVERS);
            assertThat(o.result()).isEqualTo(ActionResult.APPLIED);
            assertThat(o.change()).isEqualTo("replicas 3 → 6");
        });
        assertThat(objects.statefulSet().getSpec().getReplicas()).isEqualTo(6);
        assertThat(objects.statefulSet().getMetadata().getAnnotations()).containsEntry(ReceiverScaler.REPLICAS_CHANGED_AT, now.toString());
        List<String> patches = requests().stream().filter(r -> r.startsWith("PATCH")).toList();
        assertThat(patches).containsExactly("PATCH " + STS_PATH + "?dryRun=All", "PATCH " + STS_PATH);
        assertThat(objects.events("ScaledOutReceivers")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("StatefulSet");
            assertThat(e.getInvolvedObject().getName()).isEqualTo(STS);
            assertThat(e.getMessage()).startsWith("replicas 3 → 6: ").contains("receiver-cpu-high");
            assertThat(e.getSource().getComponent()).isEqualTo("remote-write-autoscaler");
        });
    }

    @Test
    void theNextChangeWaitsForTheCooldown() {
        apply(cpuHighAt16000(false));
        objects.scale(3); // someone scaled back by hand
        now = now.plus(Duration.ofMinutes(5));

        assertThat(apply(cpuHighAt16000(false))).singleElement().satisfies(o -> {
            assertThat(o.result()).isEqualTo(ActionResult.COOLDOWN);
            assertThat(o.detail()).contains("next change allowed at");
        });
        assertThat(objects.statefulSet().getSpec().getReplicas()).isEqualTo(3);

        now = now.plus(Duration.ofMinutes(6));
        assertThat(apply(cpuHighAt16000(false))).singleElement().satisfies(o -> assertThat(o.result()).isEqualTo(ActionResult.APPLIED));
    }

    @Test
    void replicasOwnedByAnHpaAreNeverPatched() throws Exception {
        assertThat(apply(cpuHighAt16000(true))).singleElement().satisfies(o -> assertThat(o.result()).isEqualTo(ActionResult.REPORT_ONLY));

        objects.hpa(); // appeared after the fleet was observed: checked again right before the patch
        assertThat(apply(cpuHighAt16000(false))).singleElement().satisfies(o -> {
            assertThat(o.result()).isEqualTo(ActionResult.REPORT_ONLY);
            assertThat(o.detail()).contains("HorizontalPodAutoscaler thanos-receive");
        });

        assertThat(objects.statefulSet().getSpec().getReplicas()).isEqualTo(3);
        assertThat(requests()).noneMatch(r -> r.startsWith("PATCH"));
    }

    @Test
    void aDryRunTheApiServerRejectsIsARefusalAndNothingIsPatched() throws Exception {
        server.getKubernetesMockServer().clearExpectations(); // the accepting ones; CRUD state stays
        answerDryRun(STS_PATH, 403);
        requests();

        assertThat(apply(cpuHighAt16000(false))).singleElement().satisfies(o -> {
            assertThat(o.result()).isEqualTo(ActionResult.REFUSED);
            assertThat(o.detail()).contains("server-side dry-run rejected");
        });
        assertThat(requests().stream().filter(r -> r.startsWith("PATCH"))).containsExactly("PATCH " + STS_PATH + "?dryRun=All");
        assertThat(objects.statefulSet().getSpec().getReplicas()).isEqualTo(3);
        assertThat(objects.events("ScaledOutReceiversRefused")).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void recommendModeNonLeadersAndAnUnvalidatedPolicyPatchNothing() {
        ScalingDecision decision = cpuHighAt16000(false);

        assertThat(actions.act(decision, new ReceiverActions.Context(false, true, Optional.empty(), now)))
                .singleElement().satisfies(o -> {
                    assertThat(o.result()).isEqualTo(ActionResult.RECOMMENDED);
                    assertThat(o.detail()).isEqualTo("would replicas 3 → 6 (autoscaler.policy.mode=recommend)");
                });
        assertThat(actions.act(decision, new ReceiverActions.Context(true, false, Optional.empty(), now)))
                .singleElement().satisfies(o -> assertThat(o.result()).isEqualTo(ActionResult.NOT_LEADER));
        assertThat(actions.act(decision, new ReceiverActions.Context(true, true, Optional.of("policy file invalid"), now)))
                .singleElement().satisfies(o -> {
                    assertThat(o.result()).isEqualTo(ActionResult.REFUSED);
                    assertThat(o.detail()).isEqualTo("policy file invalid");
                });

        assertThat(objects.statefulSet().getSpec().getReplicas()).isEqualTo(3);
        assertThat(objects.events()).isEmpty();
    }

    @Test
    void aStatefulSetThatDisappearedBeforeThePatchIsReported() {
        ScalingDecision decision = cpuHighAt16000(false);
        client.apps().statefulSets().inNamespace(NS).withName(STS).delete();

        assertThat(apply(decision)).singleElement().satisfies(o -> {
            assertThat(o.result()).isEqualTo(ActionResult.FAILED);
            assertThat(o.detail()).contains("disappeared");
        });
        assertThat(apply(volumeHigh())).singleElement().satisfies(o -> assertThat(o.result()).isEqualTo(ActionResult.FAILED));
    }

    @Test
    void replicasChangedSinceTheyWereObservedAreDecidedAgain() {
        objects.scale(4);

        assertThat(apply(cpuHighAt16000(false))).singleElement().satisfies(o -> {
            assertThat(o.result()).isEqualTo(ActionResult.WAITING);
            assertThat(o.detail()).contains("3 → 4");
        });
        assertThat(objects.statefulSet().getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void aPvcResizeIsRefusedWhenTheStorageClassDoesNotAllowExpansion() throws Exception {
        objects.storageClass("standard", false);
        List<String> versions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            versions.add(objects.pvc(i, "standard", "100Gi").getMetadata().getResourceVersion());
        }
        requests();

        List<ActionOutcome> outcomes = apply(volumeHigh());

        assertThat(outcomes).hasSize(3).allSatisfy(o -> {
            assertThat(o.action()).isEqualTo(RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION);
            assertThat(o.result()).isEqualTo(ActionResult.REFUSED);
            assertThat(o.change()).isEqualTo("storage 100Gi → 200Gi");
            assertThat(o.detail()).contains("StorageClass standard does not allow volume expansion").contains("retention");
        });
        for (int i = 0; i < 3; i++) {
            PersistentVolumeClaim pvc = objects.pvc(i);
            assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("100Gi");
            assertThat(pvc.getMetadata().getResourceVersion()).isEqualTo(versions.get(i));
        }
        assertThat(requests()).noneMatch(r -> r.startsWith("PATCH"));
        assertThat(objects.events("VolumeExpansionRefused")).hasSize(3).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("PersistentVolumeClaim");
        });
        // refused again next cycle: reported, but no second round of Events
        apply(volumeHigh());
        assertThat(objects.events("VolumeExpansionRefused")).hasSize(3);
    }

    @Test
    void aPvcWithoutAClassUsesTheDefaultClassAndAMissingClassIsARefusal() {
        objects.storageClass("longhorn", true);
        client.storage().v1().storageClasses().withName("longhorn").edit(sc -> {
            sc.getMetadata().setAnnotations(Map.of(ReceiverScaler.DEFAULT_CLASS_ANNOTATION, "true"));
            return sc;
        });
        objects.pvc(0, null, "100Gi");
        objects.pvc(1, "gone", "100Gi");
        objects.pvc(2, "", "100Gi");

        List<ActionOutcome> outcomes = apply(volumeHigh());

        assertThat(outcomes).extracting(ActionOutcome::result).containsExactly(ActionResult.APPLIED, ActionResult.REFUSED, ActionResult.REFUSED);
        assertThat(outcomes.get(1).detail()).contains("StorageClass gone not found");
        assertThat(outcomes.get(2).detail()).contains("statically provisioned");
    }

    @Test
    void aPvcResizeWhereTheClassAllowsItDryRunsThenDoublesTheSize() throws Exception {
        objects.storageClass("longhorn", true);
        for (int i = 0; i < 3; i++) {
            objects.pvc(i, "longhorn", "100Gi");
        }
        requests();

        List<ActionOutcome> outcomes = apply(volumeHigh());

        assertThat(outcomes).hasSize(3).allSatisfy(o -> {
            assertThat(o.result()).isEqualTo(ActionResult.APPLIED);
            assertThat(o.change()).isEqualTo("storage 100Gi → 200Gi");
        });
        for (int i = 0; i < 3; i++) {
            assertThat(objects.pvc(i).getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("200Gi");
        }
        assertThat(requests().stream().filter(r -> r.startsWith("PATCH"))).containsExactly(
                "PATCH " + PVC_PATH + "0?dryRun=All", "PATCH " + PVC_PATH + "0",
                "PATCH " + PVC_PATH + "1?dryRun=All", "PATCH " + PVC_PATH + "1",
                "PATCH " + PVC_PATH + "2?dryRun=All", "PATCH " + PVC_PATH + "2");
        assertThat(objects.events("ExpandedVolume")).hasSize(3)
                .allSatisfy(e -> assertThat(e.getInvolvedObject().getKind()).isEqualTo("PersistentVolumeClaim"));

        // status.capacity still 100Gi: the resize is in progress, nothing more is asked
        now = now.plus(Duration.ofHours(1));
        assertThat(apply(volumeHigh())).allSatisfy(o -> assertThat(o.result()).isEqualTo(ActionResult.WAITING));
    }

    @Test
    void memoryAndShardRecommendationsAreLeftToTheirOwnLoops() {
        ScalingDecision decision = decision(Map.of(RunbookRules.AGENT_QUEUE_HIGH, RuleObservation.of(9000, 9000),
                RunbookRules.RECEIVER_CPU_HIGH, RuleObservation.of(0.5, 0.5),
                RunbookRules.RECEIVER_LATENCY_HIGH, RuleObservation.of(0.4, 0.4)), ReceiverFleet.of(3, false, 8000));

        assertThat(apply(decision)).singleElement().satisfies(o -> {
            assertThat(o.action()).isEqualTo(RuleAction.ADD_AGENT_SHARDS);
            assertThat(o.result()).isEqualTo(ActionResult.REPORT_ONLY);
            assertThat(o.detail()).contains("shard tuner");
        });
    }
}
