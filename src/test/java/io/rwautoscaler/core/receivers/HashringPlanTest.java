package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.PodInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.rwautoscaler.core.receivers.HashringTest.RUNBOOK;
import static io.rwautoscaler.core.receivers.HashringTest.endpoint;
import static io.rwautoscaler.core.receivers.HashringTest.pod;
import static io.rwautoscaler.core.receivers.HashringTest.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The hashring sync's decision: every outcome, with the figures its reason carries. */
class HashringPlanTest {

    static final String KEY = "hashrings.json";
    static final HashringSettings SYNC = new HashringSettings(true, false, false);
    static final HashringSettings SYNC_OFF = new HashringSettings(false, false, false);
    static final HashringSettings ROLLING = new HashringSettings(true, true, false);
    static final HashringSettings TAKE_OVER = new HashringSettings(true, false, true);
    static final HashringOwnership THANOS_CONTROLLER = new HashringOwnership(Optional.empty(), List.of("thanos-receive-controller"));

    /** hashrings.json listing these ordinals, as Jackson reads it. */
    static List<?> ring(int... ordinals) {
        return List.of(Map.of("hashring", "default", "endpoints", IntStream.of(ordinals).mapToObj(HashringTest::endpoint).toList()));
    }

    static HashringFacts facts(List<PodInfo> pods, List<?> content, boolean ours, HashringOwnership ownership, boolean rolling) {
        return new HashringFacts(true, pods, true, content != null, Optional.ofNullable(content), ours, ownership, rolling);
    }

    static HashringFacts ours(List<PodInfo> pods, int... ordinals) {
        return facts(pods, ring(ordinals), true, HashringOwnership.none(), false);
    }

    static List<PodInfo> readyAndNot(int ready, int unready) {
        List<PodInfo> pods = new ArrayList<>(ready(ready));
        IntStream.range(ready, ready + unready).forEach(i -> pods.add(pod("thanos-receive-" + i, false)));
        return pods;
    }

    static Stream<Arguments> table() {
        HashringFacts noStatefulSet = new HashringFacts(false, List.of(), true, true, Optional.of(ring(0, 1, 2)), true,
                HashringOwnership.none(), false);
        HashringFacts noConfigMap = new HashringFacts(true, ready(3), false, false, Optional.empty(), false, HashringOwnership.none(), false);
        HashringFacts keyMissing = new HashringFacts(true, ready(3), true, false, Optional.empty(), false, HashringOwnership.none(), false);
        return Stream.of(
                // name, facts, settings, leader -> outcome, in sync, reason, event
                arguments("statefulset gone", noStatefulSet, SYNC, true, HashringOutcome.STATEFULSET_MISSING, null,
                        "StatefulSet monitoring/thanos-receive not found: nothing written, the ConfigMap is left as it is", null),
                arguments("no ready pod of 3", ours(readyAndNot(0, 3), 0, 1, 2), SYNC, true, HashringOutcome.HELD_NO_READY_POD, false,
                        "no ready pod of StatefulSet monitoring/thanos-receive (3 pods): keeping the current hashring, because an empty one would drop every write",
                        "no ready pod of StatefulSet monitoring/thanos-receive (3 pods): keeping the current hashring, because an empty one would drop every write"),
                arguments("no ready pod, not the leader", ours(readyAndNot(0, 3), 0, 1, 2), SYNC, false, HashringOutcome.HELD_NO_READY_POD, false,
                        "(3 pods)", null),
                arguments("same members in another order", ours(ready(3), 2, 0, 1), SYNC, true, HashringOutcome.IN_SYNC, true,
                        "3 ready receivers, all in the hashring", null),
                arguments("in sync even when another controller manages it", facts(ready(3), ring(0, 1, 2), false, THANOS_CONTROLLER, false),
                        SYNC, true, HashringOutcome.IN_SYNC, true, "3 ready receivers, all in the hashring", null),
                arguments("rollout running", facts(readyAndNot(2, 1), ring(0, 1, 2), true, HashringOwnership.none(), true), ROLLING, true,
                        HashringOutcome.HELD_ROLLOUT, false, "membership changed: 3 → 2 endpoints, removed thanos-receive-2; a rollout of the receivers"
                                + " is running: the hashring waits for it to finish", null),
                arguments("rollout running, roll-on-change off: written", facts(readyAndNot(2, 1), ring(0, 1, 2), true, HashringOwnership.none(), true),
                        SYNC, true, HashringOutcome.UPDATED, true, "membership changed: 3 → 2 endpoints, removed thanos-receive-2",
                        "hashrings.json: 3 → 2 endpoints, removed thanos-receive-2"),
                arguments("sync off", facts(ready(3), ring(0), false, HashringOwnership.none(), false), SYNC_OFF, true, HashringOutcome.OUT_OF_SYNC,
                        false, "edited by hand (not what remote-write-autoscaler last wrote); left alone: autoscaler.receivers.hashring.sync=false", null),
                arguments("sync off, another controller's", facts(ready(3), ring(0), false, THANOS_CONTROLLER, false), SYNC_OFF, true,
                        HashringOutcome.OUT_OF_SYNC, false, "edited by hand (not what remote-write-autoscaler last wrote) (managed by"
                                + " thanos-receive-controller (field manager of data.hashrings.json)); left alone: autoscaler.receivers.hashring.sync=false", null),
                arguments("another controller's", facts(ready(3), ring(0), false, THANOS_CONTROLLER, false), SYNC, true,
                        HashringOutcome.REFUSED_OTHER_CONTROLLER, false, "edited by hand (not what remote-write-autoscaler last wrote); not written:"
                                + " the ConfigMap is managed by thanos-receive-controller (field manager of data.hashrings.json), which would write it"
                                + " back. Leave the hashring to it, or let remote-write-autoscaler take it over"
                                + " (autoscaler.receivers.hashring.take-over=true) once that controller is stopped",
                        "hashrings.json edited by hand (not what remote-write-autoscaler last wrote); not written: the ConfigMap is managed by"
                                + " thanos-receive-controller"),
                arguments("another controller's, not the leader", facts(ready(3), ring(0), false, THANOS_CONTROLLER, false), SYNC, false,
                        HashringOutcome.REFUSED_OTHER_CONTROLLER, false, "not written: the ConfigMap is managed by thanos-receive-controller", null),
                arguments("another controller's, take-over", facts(ready(3), ring(0), false, THANOS_CONTROLLER, false), TAKE_OVER, true,
                        HashringOutcome.OVERWRITTEN, true, "edited by hand (not what remote-write-autoscaler last wrote)",
                        "hashrings.json was managed by thanos-receive-controller (field manager of data.hashrings.json); taken over"
                                + " (autoscaler.receivers.hashring.take-over=true) with the 3 ready receivers of thanos-receive"),
                arguments("not the leader", ours(ready(5), 0, 1, 2), SYNC, false, HashringOutcome.OUT_OF_SYNC, false,
                        "membership changed: 3 → 5 endpoints, added thanos-receive-3, thanos-receive-4; not the leader: the leader writes it", null),
                arguments("ConfigMap missing", noConfigMap, SYNC, true, HashringOutcome.CREATED, true, "ConfigMap missing",
                        "created hashrings.json with the 3 ready receivers of thanos-receive"),
                arguments("key missing", keyMissing, SYNC, true, HashringOutcome.OVERWRITTEN, true, "key hashrings.json missing",
                        "hashrings.json was missing; overwritten with the 3 ready receivers of thanos-receive. To edit it by hand, set"
                                + " autoscaler.receivers.hashring.sync=false"),
                arguments("3 → 5", ours(ready(5), 0, 1, 2), SYNC, true, HashringOutcome.UPDATED, true,
                        "membership changed: 3 → 5 endpoints, added thanos-receive-3, thanos-receive-4",
                        "hashrings.json: 3 → 5 endpoints, added thanos-receive-3, thanos-receive-4"),
                arguments("edited by hand", facts(ready(3), ring(0), false, new HashringOwnership(Optional.empty(), List.of("kubectl-edit")), false),
                        SYNC, true, HashringOutcome.OVERWRITTEN, true, "edited by hand (not what remote-write-autoscaler last wrote)",
                        "hashrings.json was edited by hand (it is not what remote-write-autoscaler last wrote); overwritten with the 3 ready"
                                + " receivers of thanos-receive. To edit it by hand, set autoscaler.receivers.hashring.sync=false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, HashringFacts facts, HashringSettings settings, boolean leader, HashringOutcome outcome,
                 Boolean inSync, String reason, String event) {
        HashringPlan plan = HashringPlan.decide(RUNBOOK, KEY, facts, settings, leader);

        assertThat(plan.outcome()).isEqualTo(outcome);
        assertThat(plan.inSync()).isEqualTo(Optional.ofNullable(inSync));
        assertThat(plan.message()).contains(reason);
        if (event == null) {
            assertThat(plan.event()).isEmpty();
        } else {
            assertThat(plan.event()).hasValueSatisfying(e -> assertThat(e).contains(event));
        }
        assertThat(plan.desired().isPresent()).as("a hashring to write exactly when written").isEqualTo(outcome.writes());
        if (outcome.writes()) {
            assertThat(plan.currentEndpoints()).as("after the write the ConfigMap lists the ready pods").isEqualTo(plan.desiredEndpoints());
        } else {
            assertThatThrownBy(plan::toWrite).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aWriteListsTheReadyPodsInOrdinalOrderAndRollsOnlyWithRollOnChange() {
        HashringFacts grown = ours(readyAndNot(4, 1), 0, 1, 2);
        HashringPlan plan = HashringPlan.decide(RUNBOOK, KEY, grown, ROLLING, true);

        assertThat(plan.desiredEndpoints()).containsExactly(endpoint(0), endpoint(1), endpoint(2), endpoint(3));
        assertThat(plan.currentEndpoints()).isEqualTo(plan.desiredEndpoints());
        assertThat(plan.toWrite().endpointCount()).isEqualTo(4);
        assertThat(plan.roll()).isTrue();
        assertThat(HashringPlan.decide(RUNBOOK, KEY, grown, SYNC, true).roll()).isFalse();
        // no write, no roll
        assertThat(HashringPlan.decide(RUNBOOK, KEY, ours(ready(3), 0, 1, 2), ROLLING, true).roll()).isFalse();
    }

    @Test
    void whatTheConfigMapListsIsReportedUnlessItIsNotAHashringThisServiceWouldWrite() {
        HashringFacts edited = facts(ready(3), ring(0), false, HashringOwnership.none(), false);
        assertThat(HashringPlan.decide(RUNBOOK, KEY, edited, SYNC_OFF, true).currentEndpoints()).containsExactly(endpoint(0));
        HashringFacts notJson = new HashringFacts(true, ready(3), true, true, Optional.empty(), false, HashringOwnership.none(), false);
        HashringPlan plan = HashringPlan.decide(RUNBOOK, KEY, notJson, SYNC, true);
        assertThat(plan.outcome()).isEqualTo(HashringOutcome.OVERWRITTEN);
        assertThat(plan.event()).hasValueSatisfying(e -> assertThat(e).contains("edited by hand"));
    }
}
