package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.WindowCoverage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class RuleEvaluationTest {

    static final Instant NOW = Instant.parse("2025-11-25T12:00:00Z");

    /** agent queue > 5000 for 15m */
    static final PolicyRule QUEUE = ReceiverPolicy.defaults().rule(RunbookRules.AGENT_QUEUE_HIGH).orElseThrow();
    static final ReceiverPolicy POLICY = new ReceiverPolicy(List.of(QUEUE), ReplicaBounds.RUNBOOK,
            ReceiverCapacity.RUNBOOK, null);

    static RuleObservation seen(Double proven, Double instant) {
        return new RuleObservation(proven == null ? OptionalDouble.empty() : OptionalDouble.of(proven),
                instant == null ? OptionalDouble.empty() : OptionalDouble.of(instant));
    }

    /**
     * proven = the window's minimum; since = minutes before now the previous cycle saw the condition start
     * (blank = not holding). Expect the state, the held-for minutes, and whether a "since" is carried on.
     */
    @ParameterizedTest(name = "proven {0}, instant {1}, held since -{2}m → {3}, held {4}m, carried {5}")
    @CsvSource({
            // the window proves it: fires, held at least the whole window
            "6000,     7000, ,   FIRING,     15, true",
            "6000,     7000, 3,  FIRING,     15, true",
            "6000,     7000, 40, FIRING,     40, true",
            "6000,         , ,   FIRING,     15, true",
            // the edge of the threshold: > is strict
            "5000,     7000, 14, NOT_FIRING, 14, true",
            "5000.001, 7000, ,   FIRING,     15, true",
            // holding now but not for the whole window yet: counting, not firing
            "4000,     7000, ,   NOT_FIRING, 0,  true",
            "4000,     7000, 14, NOT_FIRING, 14, true",
            // the window proves it but the condition has just cleared: no longer fires
            "6000,     4000, 20, NOT_FIRING, 0,  false",
            "6000,     5000, 20, NOT_FIRING, 0,  false",
            // not holding at all
            "100,      200,  ,   NOT_FIRING, 0,  false",
            "100,      200,  30, NOT_FIRING, 0,  false",
            // no window data: UNKNOWN, never fine; the hold still follows the instant value
            ",         7000, ,   UNKNOWN,    0,  true",
            ",         7000, 5,  UNKNOWN,    5,  true",
            ",         200,  5,  UNKNOWN,    0,  false",
            ",             , 50, UNKNOWN,    0,  false",
            "NaN,      NaN,  ,   UNKNOWN,    0,  false",
            "Infinity, 7000, ,   UNKNOWN,    0,  true",
    })
    void stateAndHeldFor(Double proven, Double instant, Integer sinceMinutesAgo, RuleState state, long heldMinutes,
                         boolean carried) {
        RuleHoldHistory previous = sinceMinutesAgo == null ? RuleHoldHistory.empty()
                : new RuleHoldHistory(Map.of(QUEUE.name(), NOW.minus(Duration.ofMinutes(sinceMinutesAgo))));
        RuleEvaluation evaluation = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(proven, instant)), previous, NOW);

        RuleStatus status = evaluation.status(QUEUE.name()).orElseThrow();
        assertThat(status.state()).isEqualTo(state);
        assertThat(status.heldFor()).isEqualTo(Duration.ofMinutes(heldMinutes));
        assertThat(status.threshold()).isEqualTo(5000);
        assertThat(evaluation.history().since(QUEUE.name()))
                .isEqualTo(carried ? Optional.of(NOW.minus(Duration.ofMinutes(heldMinutes))) : Optional.empty());
        assertThat(status.heldSince()).isEqualTo(evaluation.history().since(QUEUE.name()));
    }

    @Test
    void aRuleWithoutAnObservationIsUnknown() {
        RuleEvaluation evaluation = RuleEvaluation.evaluate(ReceiverPolicy.defaults(), Map.of(), RuleHoldHistory.empty(), NOW);
        assertThat(evaluation.statuses()).hasSize(8).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(RuleState.UNKNOWN);
            assertThat(s.explanation()).contains("no data, unknown (not treated as fine)");
        });
        assertThat(evaluation.unknown()).hasSize(8);
        assertThat(evaluation.firing()).isEmpty();
        assertThat(evaluation.history().heldSince()).isEmpty();
    }

    @Test
    void holdSinceIsCarriedAcrossCyclesUntilTheWindowProvesIt() {
        RuleHoldHistory history = RuleHoldHistory.empty();
        Instant t0 = NOW;
        // cycle 1: the queue just crossed 5000; the 15m window does not prove it yet
        RuleEvaluation c1 = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(1200.0, 5200.0)), history, t0);
        assertThat(c1.statuses().get(0).state()).isEqualTo(RuleState.NOT_FIRING);
        assertThat(c1.history().since(QUEUE.name())).contains(t0);
        // cycle 2, 14m59s later: still held, the window's first point is still below
        Instant t1 = t0.plus(Duration.ofMinutes(14)).plusSeconds(59);
        RuleEvaluation c2 = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(4999.0, 6000.0)), c1.history(), t1);
        assertThat(c2.statuses().get(0).state()).isEqualTo(RuleState.NOT_FIRING);
        assertThat(c2.statuses().get(0).heldFor()).isEqualTo(Duration.ofMinutes(14).plusSeconds(59));
        // cycle 3, at 15m: the whole window is above 5000
        Instant t2 = t0.plus(Duration.ofMinutes(15));
        RuleEvaluation c3 = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(5100.0, 6100.0)), c2.history(), t2);
        RuleStatus firing = c3.statuses().get(0);
        assertThat(firing.state()).isEqualTo(RuleState.FIRING);
        assertThat(firing.heldFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(firing.heldSince()).contains(t0);
        assertThat(firing.explanation()).isEqualTo("agent-queue-high: 5100 > 5000 for 15m (held 15m)");
        // cycle 4: the queue drains; the hold is forgotten
        RuleEvaluation c4 = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(5100.0, 10.0)), c3.history(),
                t2.plusSeconds(30));
        assertThat(c4.statuses().get(0).state()).isEqualTo(RuleState.NOT_FIRING);
        assertThat(c4.history().since(QUEUE.name())).isEmpty();
        assertThat(c4.statuses().get(0).explanation()).isEqualTo("agent-queue-high: 10, fires at > 5000 for 15m");
    }

    @Test
    void aDataGapBreaksTheHold() {
        RuleHoldHistory held = new RuleHoldHistory(Map.of(QUEUE.name(), NOW.minus(Duration.ofMinutes(10))));
        RuleEvaluation gap = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), RuleObservation.noData()), held, NOW);
        assertThat(gap.history().since(QUEUE.name())).isEmpty();
        RuleEvaluation back = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(4000.0, 6000.0)), gap.history(),
                NOW.plusSeconds(30));
        assertThat(back.statuses().get(0).heldFor()).isZero();
    }

    @Test
    void aSinceInTheFutureRestartsTheCount() {
        RuleHoldHistory skewed = new RuleHoldHistory(Map.of(QUEUE.name(), NOW.plus(Duration.ofMinutes(5))));
        RuleEvaluation evaluation = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(4000.0, 6000.0)), skewed, NOW);
        assertThat(evaluation.statuses().get(0).heldFor()).isZero();
        assertThat(evaluation.history().since(QUEUE.name())).contains(NOW);
    }

    @Test
    void historyOnlyKeepsRulesOfThePolicy() {
        RuleHoldHistory previous = new RuleHoldHistory(Map.of("removed-rule", NOW.minusSeconds(600)));
        RuleEvaluation evaluation = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(4000.0, 6000.0)), previous, NOW);
        assertThat(evaluation.history().heldSince()).containsOnlyKeys(QUEUE.name());
    }

    @Test
    void zeroForFiresOnTheCurrentValue() {
        PolicyRule instantRule = new PolicyRule("volume", "v", Comparison.GREATER, 0.7, Duration.ZERO,
                RuleAction.EXPAND_VOLUME_OR_CUT_RETENTION, RunbookRules.RECEIVERS);
        ReceiverPolicy policy = new ReceiverPolicy(List.of(instantRule), ReplicaBounds.RUNBOOK, ReceiverCapacity.RUNBOOK, null);
        RuleEvaluation evaluation = RuleEvaluation.evaluate(policy, Map.of("volume", seen(0.71, 0.71)), RuleHoldHistory.empty(), NOW);
        assertThat(evaluation.statuses().get(0).state()).isEqualTo(RuleState.FIRING);
        assertThat(evaluation.statuses().get(0).heldFor()).isZero();
        assertThat(evaluation.statuses().get(0).explanation()).isEqualTo("volume: 0.71 > 0.7");
    }

    @Test
    void scaleInRuleUsesTheMaximumOfItsWindow() {
        PolicyRule cpuLow = ReceiverPolicy.defaults().rule(RunbookRules.RECEIVER_CPU_LOW).orElseThrow();
        ReceiverPolicy policy = new ReceiverPolicy(List.of(cpuLow), ReplicaBounds.RUNBOOK, ReceiverCapacity.RUNBOOK, null);
        WindowProof proof = policy.proof(cpuLow);
        // one point at 31% within the hour: not proven
        OptionalDouble notProven = proof.provenValue(OptionalDouble.empty(), OptionalDouble.of(0.31));
        assertThat(RuleEvaluation.evaluate(policy, Map.of(cpuLow.name(), new RuleObservation(notProven, OptionalDouble.of(0.2))),
                RuleHoldHistory.empty(), NOW).statuses().get(0).state()).isEqualTo(RuleState.NOT_FIRING);
        OptionalDouble proven = proof.provenValue(OptionalDouble.empty(), OptionalDouble.of(0.29));
        RuleStatus status = RuleEvaluation.evaluate(policy, Map.of(cpuLow.name(), new RuleObservation(proven, OptionalDouble.of(0.2))),
                RuleHoldHistory.empty(), NOW).statuses().get(0);
        assertThat(status.state()).isEqualTo(RuleState.FIRING);
        assertThat(status.heldFor()).isEqualTo(Duration.ofHours(1));
        assertThat(status.provenValue()).hasValue(0.29);
        assertThat(status.currentValue()).hasValue(0.2);
    }

    static RuleObservation seen(double proven, double instant, double points) {
        return new RuleObservation(OptionalDouble.of(proven), OptionalDouble.of(instant),
                Optional.of(POLICY.proof(QUEUE).coverage(points)));
    }

    /**
     * The case: agents started at 16:32:17, the cycle at 16:33:00 sees 2 points of the 15m window, all
     * above 5000; a previous cycle had carried "held since 16:17:30". Not FIRING, and no hold older than the data.
     */
    @Test
    void aWindowTheDataDoesNotCoverIsUnknownAndItsHoldStartsWithTheData() {
        Instant now = Instant.parse("2026-12-04T16:33:00Z");
        RuleHoldHistory previous = new RuleHoldHistory(Map.of(QUEUE.name(), Instant.parse("2026-12-04T16:17:30Z")));

        RuleStatus status = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(7696, 7696, 2)), previous, now)
                .status(QUEUE.name()).orElseThrow();

        assertThat(status.state()).isEqualTo(RuleState.UNKNOWN);
        assertThat(status.windowNotCovered()).isTrue();
        assertThat(status.heldSince()).contains(now.minusSeconds(30));
        assertThat(status.heldFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(status.explanation()).isEqualTo("agent-queue-high: only 30s of 15m observed (7696 so far), unknown"
                + " (not treated as fine); fires at > 5000 for 15m (held 30s)");
    }

    @ParameterizedTest(name = "{0} points, proven {1}, instant {2} → {3}")
    @CsvSource({
            "26, 6000, 7000, UNKNOWN",     // holds so far, 87% of the window seen: not proven
            "27, 6000, 7000, FIRING",      // 90% of the steps
            "31, 6000, 7000, FIRING",
            "2,  4000, 7000, NOT_FIRING",  // the data there is already breaks the condition
            "2,  6000, 4000, NOT_FIRING",  // and so does the value now
            "0,  6000, 7000, UNKNOWN",     // the count query answered nothing: nothing proven
    })
    void coverageDecidesBetweenFiringAndUnknown(double points, double proven, double instant, RuleState state) {
        RuleStatus status = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(proven, instant, points)),
                RuleHoldHistory.empty(), NOW).status(QUEUE.name()).orElseThrow();
        assertThat(status.state()).isEqualTo(state);
        status.heldSince().ifPresent(since -> assertThat(since).isAfterOrEqualTo(
                NOW.minus(WindowCoverage.fromPoints(QUEUE.forDuration(), POLICY.evaluationStep(), points).observed())));
    }

    @Test
    void aFiringRuleOnAlmostAllOfItsWindowIsHeldSinceItsFirstPointNotBefore() {
        RuleStatus status = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(6000, 7000, 28)),
                RuleHoldHistory.empty(), NOW).status(QUEUE.name()).orElseThrow();
        assertThat(status.state()).isEqualTo(RuleState.FIRING);
        assertThat(status.heldSince()).contains(NOW.minus(Duration.ofSeconds(27 * 30)));
        // a hold this service saw for two hours is kept once the window is covered
        RuleStatus long_ = RuleEvaluation.evaluate(POLICY, Map.of(QUEUE.name(), seen(6000, 7000, 31)),
                new RuleHoldHistory(Map.of(QUEUE.name(), NOW.minus(Duration.ofHours(2)))), NOW).status(QUEUE.name()).orElseThrow();
        assertThat(long_.heldFor()).isEqualTo(Duration.ofHours(2));
    }
}
