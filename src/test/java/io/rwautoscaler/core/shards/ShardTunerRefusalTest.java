package io.rwautoscaler.core.shards;

import static io.rwautoscaler.core.shards.TunerFixture.NOW;
import static io.rwautoscaler.core.shards.TunerFixture.QUEUE;
import static io.rwautoscaler.core.shards.TunerFixture.RUNBOOK;
import static io.rwautoscaler.core.shards.TunerFixture.decide;
import static io.rwautoscaler.core.shards.TunerFixture.minutes;
import static io.rwautoscaler.core.shards.TunerFixture.receivers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a decision refuses to change the config now, and the edges of each. */
class ShardTunerRefusalTest {

    /** Shards pinned at 100 for 15 min: a raise to 200 unless something refuses. */
    private static ObservationBuilder wantsRaise() {
        return ObservationBuilder.atMax(100, 130, minutes(15)).p99(140);
    }

    // ---- lag safety

    @ParameterizedTest(name = "lag {0}s -> {1}")
    @CsvSource({
            "0,    RAISE,             true",
            "59.9, RAISE,             true",
            "60,   WAITING_FOR_DRAIN, false",
            "300,  WAITING_FOR_DRAIN, false",
    })
    void appliesOnlyWhileLagIsBelowTheSafetyThreshold(double lag, ShardState state, boolean safe) {
        ShardDecision d = decide(RUNBOOK, wantsRaise().lag(lag));

        assertThat(d.state()).isEqualTo(state);
        assertThat(d.safeToApply()).isEqualTo(safe);
        assertThat(d.recommended()).as("the pending change stays visible").isEqualTo(RUNBOOK.withMaxShards(200));
    }

    @Test
    void highLagSaysWhy() {
        ShardDecision d = decide(RUNBOOK, wantsRaise().lag(95));

        assertThat(d.reason()).endsWith("; waiting for drain: lag 95s ≥ 60s: restarting the queue now could drop"
                + " samples in flight");
        assertThat(d.apply()).isFalse();
    }

    @Test
    void unknownLagIsNotSafeAndSaysWhy() {
        ShardDecision d = decide(RUNBOOK, wantsRaise().lagUnknown());

        assertThat(d.state()).isEqualTo(ShardState.WAITING_FOR_DRAIN);
        assertThat(d.safeToApply()).isFalse();
        assertThat(d.safety()).isEqualTo("lag unknown: cannot tell whether restarting the queue would drop samples"
                + " in flight");
        assertThat(d.reason()).contains("waiting for drain: lag unknown");
    }

    @Test
    void safetyIsReportedEvenWithoutAChange() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.quiet().lag(75));

        assertThat(d.state()).isEqualTo(ShardState.OK);
        assertThat(d.safeToApply()).isFalse();
        assertThat(d.safety()).startsWith("lag 75s ≥ 60s");
    }

    // ---- cooldown and rollout

    @ParameterizedTest(name = "last change {0} ago -> {1}")
    @CsvSource({
            "PT1M,     COOLDOWN",
            "PT29M59S, COOLDOWN",
            "PT30M,    RAISE",
            "PT2H,     RAISE",
    })
    void waitsOutTheCooldownAfterOurOwnChange(Duration age, ShardState state) {
        TunerState history = TunerState.empty().withApplied(QUEUE, RUNBOOK.withMaxShards(50), RUNBOOK, NOW.minus(age));

        ShardDecision d = decide(RUNBOOK, wantsRaise(), history);

        assertThat(d.state()).as(d.reason()).isEqualTo(state);
        if (state == ShardState.COOLDOWN) {
            assertThat(d.recommended()).isEqualTo(RUNBOOK);
        }
    }

    @Test
    void cooldownReasonSaysWhenTheNextChangeIsPossible() {
        TunerState history = TunerState.empty().withApplied(QUEUE, RUNBOOK.withMaxShards(50), RUNBOOK,
                NOW.minus(Duration.ofMinutes(12)));

        assertThat(decide(RUNBOOK, wantsRaise(), history).reason()).isEqualTo("cooldown: our change at"
                + " 2026-03-02T09:48:00Z (maxShards 50 → 100) was 12m ago; next change in 18m (cooldown 30m)");
    }

    @Test
    void agentStillRunningOtherBoundsThanConfiguredIsSettling() {
        ShardDecision d = decide(RUNBOOK.withMaxShards(200), wantsRaise().running(10, 100));

        assertThat(d.state()).isEqualTo(ShardState.COOLDOWN);
        assertThat(d.reason()).isEqualTo("the agent still runs minShards 10, maxShards 100 while its config says"
                + " minShards 10, maxShards 200: waiting for it to load the config");
        assertThat(decide(RUNBOOK, wantsRaise().running(10, 100)).state()).isEqualTo(ShardState.RAISE);
    }

    // ---- reverted

    @ParameterizedTest(name = "config back at the old one {0} after our change -> {1}")
    @CsvSource({
            "PT1M,     COOLDOWN",
            "PT4M59S,  COOLDOWN",
            "PT5M,     REVERTED",
            "PT72H,    REVERTED",
    })
    void oldConfigAfterTheRolloutGraceIsARevert(Duration age, ShardState state) {
        TunerState history = TunerState.empty().withApplied(QUEUE, RUNBOOK, RUNBOOK.withMaxShards(200),
                NOW.minus(age));

        ShardDecision d = decide(RUNBOOK, wantsRaise(), history);

        assertThat(d.state()).as(d.reason()).isEqualTo(state);
        assertThat(d.recommended()).as("no new recommendation while settling or reverted").isEqualTo(RUNBOOK);
        assertThat(d.apply()).isFalse();
    }

    @Test
    void revertReasonSaysWhatWasUndoneAndHowToResume() {
        TunerState history = TunerState.empty().withApplied(QUEUE, RUNBOOK, RUNBOOK.withMaxShards(200),
                NOW.minus(Duration.ofMinutes(20)));

        assertThat(decide(RUNBOOK, wantsRaise(), history).reason()).isEqualTo("our change at 2026-03-02T09:40:00Z"
                + " (maxShards 100 → 200) was undone, the config is back to minShards 10, maxShards 100,"
                + " capacity 20000, maxSamplesPerSend 2000; not fighting it (GitOps/Helm?) until the config changes"
                + " otherwise or an operator clears the record");
    }

    @Test
    void aRevertOnceSeenStaysARevertEvenWithinTheGrace() {
        TunerState history = new TunerState(Map.of(QUEUE, new AppliedChange(NOW.minus(Duration.ofMinutes(1)),
                RUNBOOK, RUNBOOK.withMaxShards(200), true)), List.of());

        assertThat(decide(RUNBOOK, wantsRaise(), history).state()).isEqualTo(ShardState.REVERTED);
    }

    @Test
    void clearingTheRecordOrAThirdConfigEndsTheRevert() {
        TunerState history = new TunerState(Map.of(QUEUE, new AppliedChange(NOW.minus(Duration.ofHours(1)),
                RUNBOOK, RUNBOOK.withMaxShards(200), true)), List.of());

        assertThat(decide(RUNBOOK, wantsRaise(), history.cleared(QUEUE)).state()).isEqualTo(ShardState.RAISE);
        QueueConfig someoneElses = RUNBOOK.withMaxShards(120);
        ShardDecision d = decide(someoneElses, ObservationBuilder.atMax(120, 130, minutes(15)).p99(140), history);
        assertThat(d.state()).as(d.reason()).isEqualTo(ShardState.RAISE);
        assertThat(d.recommended().effectiveMaxShards()).isEqualTo(240);
    }

    // ---- cluster budget

    @ParameterizedTest(name = "{0} changes in the last hour -> {1}")
    @CsvSource({
            "9,  RAISE",
            "10, BUDGET_EXHAUSTED",
            "25, BUDGET_EXHAUSTED",
    })
    void refusesWhenTheClusterBudgetIsUsedUp(int recent, ShardState state) {
        ShardDecision d = decide(RUNBOOK, wantsRaise(), changesAgo(recent, Duration.ofMinutes(59)));

        assertThat(d.state()).isEqualTo(state);
        assertThat(d.recommended()).isEqualTo(RUNBOOK.withMaxShards(200));
        if (state == ShardState.BUDGET_EXHAUSTED) {
            assertThat(d.reason()).endsWith("; cluster budget of 10 changes per hour is used up (" + recent
                    + " in the last hour)");
        }
    }

    @Test
    void changesExactlyAnHourOldNoLongerCount() {
        assertThat(decide(RUNBOOK, wantsRaise(), changesAgo(10, Duration.ofHours(1))).state())
                .isEqualTo(ShardState.RAISE);
    }

    @Test
    void lagIsCheckedBeforeTheBudget() {
        assertThat(decide(RUNBOOK, wantsRaise().lag(90), changesAgo(10, Duration.ofMinutes(1))).state())
                .isEqualTo(ShardState.WAITING_FOR_DRAIN);
    }

    @Test
    void noChangeNeedsNoBudget() {
        assertThat(decide(RUNBOOK, ObservationBuilder.quiet(), changesAgo(10, Duration.ofMinutes(1))).state())
                .isEqualTo(ShardState.OK);
    }

    // ---- receivers as the bottleneck

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                      | 5xx/s | 429/s | p99 s | cpu  | retried/s | bottleneck | signal
            receiver 5xx above 0.1/s    | 0.11  | -     | -     | -    | 0         | true       | receiver 5xx 0.11/s > 0.1/s
            receiver 5xx at 0.1/s       | 0.1   | -     | -     | -    | 0         | false      | -
            receiver 429 above 0.1/s    | -     | 0.5   | -     | -    | 0         | true       | receiver 429 0.5/s > 0.1/s
            receiver 429 at 0.1/s       | -     | 0.1   | -     | -    | 0         | false      | -
            receiver p99 above 2s       | -     | -     | 2.01  | -    | 0         | true       | receiver p99 latency 2.01s > 2s
            receiver p99 at 2s          | -     | -     | 2     | -    | 0         | false      | -
            receiver CPU above 80%      | -     | -     | -     | 0.85 | 0         | true       | receiver CPU 85% > 80%
            receiver CPU at 80%         | -     | -     | -     | 0.8  | 0         | false      | -
            agent retries above 1%      | -     | -     | -     | -    | 1500      | true       | agent retried 1.5% of samples sent > 1% (receivers answer 5xx/429)
            agent retries at 1%         | -     | -     | -     | -    | 1000      | false      | -
            all receiver signals absent | -     | -     | -     | -    | 0         | false      | -
            """)
    void neverRaisesWhenTheReceiversAreTheBottleneck(String name, Double errors5xx, Double throttled429, Double p99,
                                                     Double cpu, double retried, boolean bottleneck, String signal) {
        ShardDecision d = decide(RUNBOOK, wantsRaise().retried(retried).samplesOut(100_000),
                receivers(errors5xx, throttled429, p99, cpu));

        if (bottleneck) {
            assertThat(d.state()).isEqualTo(ShardState.RECEIVERS_BOTTLENECK);
            assertThat(d.recommended()).isEqualTo(RUNBOOK);
            assertThat(d.reason()).contains(signal).contains("scale the receivers instead");
        } else {
            assertThat(d.state()).as(d.reason()).isEqualTo(ShardState.RAISE);
        }
    }

    @Test
    void bottleneckReasonNamesEverySignalOverItsLimit() {
        ShardDecision d = decide(RUNBOOK, wantsRaise(), receivers(0.5, 0.3, 2.5, 0.9));

        assertThat(d.reason()).isEqualTo("shards at max 100 for 15m with desired 130 > max and queue above 5000"
                + " samples for 15m, but the receivers are the bottleneck (receiver 5xx 0.5/s > 0.1/s; receiver 429"
                + " 0.3/s > 0.1/s; receiver p99 latency 2.5s > 2s; receiver CPU 90% > 80%): more shards would add"
                + " load to struggling receivers; scale the receivers instead");
    }

    @Test
    void retriesWithNothingSentAreAFailingEndpoint() {
        ShardDecision d = decide(RUNBOOK, wantsRaise().samplesOut(0).retried(50));

        assertThat(d.state()).isEqualTo(ShardState.ENDPOINT_FAILING);
        assertThat(d.reason()).startsWith("endpoint failing: 50 samples/s retried or dropped and none sent");
    }

    // ---- a dead endpoint (issue 14: the demo's agent writing to a port nothing listens on)

    @ParameterizedTest(name = "tried {0}/s, retried {1}/s, failed {2}/s -> {3}")
    @CsvSource({
            "100000, 0,      0,     ",
            "100000, 89999,  0,     ",
            "100000, 90000,  0,     recoverable errors",
            "1000,   1000,   0,     recoverable errors",   // the demo: retries ≈ sends
            "1000,   0,      950,   non-recoverable errors",
            "1000,   400,    600,   non-recoverable errors",
            "0,      0,      30,    non-recoverable errors",
    })
    void aQueueWhoseSendsAlmostAllFailIsEndpointFailing(double tried, double retried, double failed, String errors) {
        ShardDecision d = decide(RUNBOOK, wantsRaise().samplesOut(tried).retried(retried).failed(failed));

        if (errors == null) {
            assertThat(d.state()).as(d.reason()).isNotEqualTo(ShardState.ENDPOINT_FAILING);
            return;
        }
        assertThat(d.state()).isEqualTo(ShardState.ENDPOINT_FAILING);
        assertThat(d.safeToApply()).isFalse();
        assertThat(d.apply()).isFalse();
        assertThat(d.recommended()).isEqualTo(RUNBOOK);
        assertThat(d.reason()).startsWith("endpoint failing: ").contains("last errors " + errors)
                .contains("no shard change helps");
    }

    @Test
    void aDeadEndpointIsNeverLoweredNorSafeToApply() {
        // The demo's picture: capacity 10000 over 10 × maxSamplesPerSend wanted "lower" to 1000, lag unknown.
        QueueConfig demo = QueueConfig.unset().withMinShards(1).withMaxShards(10).withCapacity(10_000)
                .withMaxSamplesPerSend(100);
        ShardDecision healthy = decide(demo, ObservationBuilder.quiet().lag(1));
        assertThat(healthy.state()).as(healthy.reason()).isEqualTo(ShardState.LOWER);

        ShardDecision dead = decide(demo, ObservationBuilder.quiet().lagUnknown().pending(7696).samplesOut(330)
                .retried(330));

        assertThat(dead.state()).isEqualTo(ShardState.ENDPOINT_FAILING);
        assertThat(dead.safeToApply()).isFalse();
        assertThat(dead.recommended()).isEqualTo(demo);
        assertThat(dead.reason()).isEqualTo("endpoint failing: 100% of samples tried were retried or dropped (330 of"
                + " 330 samples/s); last errors recoverable errors (HTTP 5xx, 429, or connection refused/timed out:"
                + " samples retried), 7696 samples pending; no shard change helps: check the remote-write URL, the"
                + " receivers and the network");
    }

    @Test
    void aSlowReceiverSeenOnlyFromTheAgentIsWhatShardsAreFor() {
        ShardDecision d = decide(RUNBOOK, wantsRaise().sendLatency(4.0).samplesOut(5_000));

        assertThat(d.state()).isEqualTo(ShardState.RAISE);
    }

    @Test
    void doesNotLowerWhileTheReceiversStruggle() {
        ShardDecision d = decide(RUNBOOK, ObservationBuilder.idle(20, minutes(30)).p99(20),
                receivers(null, null, null, 0.9));

        assertThat(d.state()).isEqualTo(ShardState.RECEIVERS_BOTTLENECK);
        assertThat(d.recommended()).isEqualTo(RUNBOOK);
        assertThat(d.reason()).contains("not lowering bounds").contains("receiver CPU 90% > 80%");
    }

    @Test
    void unhealthyReceiversWithoutATriggerAreNotTheQueuesConcern() {
        assertThat(decide(RUNBOOK, ObservationBuilder.quiet(), receivers(5.0, null, null, null)).state())
                .isEqualTo(ShardState.OK);
    }

    // ---- insufficient data

    @Test
    void noP99MeansNoSizing() {
        ShardDecision raise = decide(RUNBOOK, wantsRaise().p99Unknown());
        ShardDecision lower = decide(RUNBOOK, ObservationBuilder.idle(20, minutes(30)).p99Unknown());

        assertThat(raise.state()).isEqualTo(ShardState.INSUFFICIENT_DATA);
        assertThat(raise.reason()).endsWith("but there is no 7-day p99 of shards_desired to size maxShards from");
        assertThat(lower.state()).isEqualTo(ShardState.INSUFFICIENT_DATA);
        assertThat(lower.recommended()).isEqualTo(RUNBOOK);
    }

    @Test
    void noP99WithoutATriggerIsFine() {
        assertThat(decide(RUNBOOK, ObservationBuilder.quiet().p99Unknown()).state()).isEqualTo(ShardState.OK);
    }

    @Test
    void missingWindowFactsWithoutATriggerCannotBeCalledOk() {
        ShardDecision partly = decide(RUNBOOK, ObservationBuilder.quiet().atMaxFor(null));
        ShardDecision nothing = ShardTuner.decide(QUEUE, RUNBOOK, QueueObservation.unknown(),
                ReceiverHealth.unknown(), TunerState.empty(), TunerFixture.POLICY, NOW);

        assertThat(partly.state()).isEqualTo(ShardState.INSUFFICIENT_DATA);
        assertThat(partly.reason()).endsWith("cannot tell: shards at max with desired above (metrics missing)");
        assertThat(nothing.state()).isEqualTo(ShardState.INSUFFICIENT_DATA);
        assertThat(nothing.reason()).isEqualTo("no trigger: shards unknown within 10–100; queue above 5000 for"
                + " unknown, at max with desired above for unknown, at 0 for unknown; cannot tell: queue above"
                + " threshold, shards at max with desired above, queue at 0 (metrics missing)");
        assertThat(nothing.safeToApply()).isFalse();
    }

    @Test
    void aTriggerStillFiresWhenAnotherFactIsMissing() {
        assertThat(decide(RUNBOOK, wantsRaise().queueAtZeroFor(null).queueAboveFor(null)).state())
                .isEqualTo(ShardState.RAISE);
    }

    private static TunerState changesAgo(int count, Duration age) {
        TunerState state = TunerState.empty();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            times.add(NOW.minus(age));
        }
        return new TunerState(state.changes(), times);
    }
}
