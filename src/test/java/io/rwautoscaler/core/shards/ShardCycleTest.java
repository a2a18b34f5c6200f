package io.rwautoscaler.core.shards;

import static io.rwautoscaler.core.shards.TunerFixture.NOW;
import static io.rwautoscaler.core.shards.TunerFixture.POLICY;
import static io.rwautoscaler.core.shards.TunerFixture.RUNBOOK;
import static io.rwautoscaler.core.shards.TunerFixture.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The cycle: budget handed out most urgent first, and what it remembers for the next cycle. */
class ShardCycleTest {

    private static QueueId queue(String agent) {
        return QueueId.of("monitoring", agent, "thanos", "http://thanos-receive-lb:19291/api/v1/receive");
    }

    private static QueueInput raising(String agent, double lag, double pending) {
        return new QueueInput(queue(agent), RUNBOOK,
                ObservationBuilder.atMax(100, 130, minutes(15)).p99(140).lag(lag).pending(pending).build(),
                ReceiverHealth.unknown());
    }

    private static QueueInput lowering(String agent, double lag) {
        return new QueueInput(queue(agent), RUNBOOK,
                ObservationBuilder.idle(20, minutes(30)).p99(20).lag(lag).build(), ReceiverHealth.unknown());
    }

    private static QueueInput quiet(String agent) {
        return new QueueInput(queue(agent), RUNBOOK, ObservationBuilder.quiet().build(), ReceiverHealth.unknown());
    }

    private static Set<String> agentsIn(List<ShardDecision> decisions) {
        return decisions.stream().map(d -> d.queue().agent()).collect(Collectors.toSet());
    }

    @Test
    void grantsTheBudgetToTheHighestLagFirstAndRefusesTheRest() {
        List<QueueInput> inputs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            inputs.add(raising(String.format("agent-%02d", i), i, 10_000));
        }

        ShardCycleResult result = ShardCycle.run(inputs, TunerState.empty(), POLICY, NOW);

        assertThat(result.toApply()).hasSize(10);
        assertThat(result.toApply().get(0).queue().agent()).isEqualTo("agent-11");
        assertThat(result.decisions().get(0).state()).isEqualTo(ShardState.BUDGET_EXHAUSTED);
        assertThat(result.decisions().get(1).state()).isEqualTo(ShardState.BUDGET_EXHAUSTED);
        assertThat(result.decisions().subList(2, 12)).allMatch(ShardDecision::apply);
        assertThat(result.decisions().get(0).reason()).endsWith("; cluster budget of 10 changes per hour is used up"
                + " (10 in the last hour), by more urgent queues").doesNotContain("safe to apply");
        assertThat(result.decisions().get(0).recommended()).isEqualTo(RUNBOOK.withMaxShards(200));
    }

    @Test
    void raisesGoBeforeLoweringsThenPendingSamplesThenQueueOrder() {
        TunerState sevenUsed = new TunerState(Map.of(), Collections.nCopies(7, NOW.minus(Duration.ofMinutes(10))));
        List<QueueInput> inputs = List.of(
                lowering("a-lower-high-lag", 50),
                raising("b-raise-less-pending", 1, 6_000),
                raising("d-raise-more-pending", 1, 9_000),
                raising("c-raise-less-pending", 1, 6_000));

        ShardCycleResult result = ShardCycle.run(inputs, sevenUsed, POLICY, NOW);

        assertThat(result.toApply()).extracting(d -> d.queue().agent())
                .containsExactly("d-raise-more-pending", "b-raise-less-pending", "c-raise-less-pending");
        assertThat(result.decisions().get(0).state()).isEqualTo(ShardState.BUDGET_EXHAUSTED);
    }

    @Test
    void decisionsComeBackInInputOrder() {
        List<QueueInput> inputs = List.of(quiet("z"), raising("a", 1, 1), quiet("m"));

        ShardCycleResult result = ShardCycle.run(inputs, TunerState.empty(), POLICY, NOW);

        assertThat(result.decisions()).extracting(d -> d.queue().agent()).containsExactly("z", "a", "m");
        assertThat(result.decisions()).extracting(ShardDecision::state)
                .containsExactly(ShardState.OK, ShardState.RAISE, ShardState.OK);
    }

    @Test
    void aQueueTwiceInOneCycleIsRejected() {
        assertThatThrownBy(() -> ShardCycle.run(List.of(quiet("a"), quiet("a")), TunerState.empty(), POLICY, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("monitoring/a/thanos appears twice");
    }

    @Test
    void nextStateRecordsAppliedChangesForCooldownAndBudget() {
        ShardCycleResult first = ShardCycle.run(List.of(raising("a", 1, 1), quiet("b")), TunerState.empty(),
                POLICY, NOW);
        TunerState next = first.nextState();

        assertThat(next.lastChange(queue("a"))).contains(new AppliedChange(NOW, RUNBOOK, RUNBOOK.withMaxShards(200),
                false));
        assertThat(next.lastChange(queue("b"))).isEmpty();
        assertThat(next.changesInLastHour(NOW)).isEqualTo(1);

        QueueInput applied = new QueueInput(queue("a"), RUNBOOK.withMaxShards(200),
                ObservationBuilder.atMax(200, 300, minutes(15)).p99(300).build(), ReceiverHealth.unknown());
        ShardCycleResult second = ShardCycle.run(List.of(applied), next, POLICY, NOW.plus(Duration.ofMinutes(10)));
        assertThat(second.decisions().get(0).state()).isEqualTo(ShardState.COOLDOWN);
    }

    @Test
    void recommendModeOrFailedPatchesRecordNothing() {
        ShardCycleResult result = ShardCycle.run(List.of(raising("a", 1, 1), raising("b", 2, 1)),
                TunerState.empty(), POLICY, NOW);

        assertThat(result.nextState(Set.of())).isEqualTo(result.carried());
        TunerState onlyB = result.nextState(Set.of(queue("b")));
        assertThat(onlyB.changes()).containsOnlyKeys(queue("b"));
        assertThat(onlyB.changesInLastHour(NOW)).isEqualTo(1);
    }

    @Test
    void aRevertIsRememberedAcrossCyclesUntilSomeoneElseChangesTheConfig() {
        TunerState applied = TunerState.empty().withApplied(queue("a"), RUNBOOK, RUNBOOK.withMaxShards(200),
                NOW.minus(Duration.ofMinutes(10)));
        QueueInput revertedByGitOps = raising("a", 1, 1);

        ShardCycleResult seen = ShardCycle.run(List.of(revertedByGitOps), applied, POLICY, NOW);
        assertThat(seen.decisions().get(0).state()).isEqualTo(ShardState.REVERTED);
        assertThat(seen.nextState().lastChange(queue("a"))).hasValueSatisfying(c -> assertThat(c.reverted()).isTrue());

        ShardCycleResult later = ShardCycle.run(List.of(revertedByGitOps), seen.nextState(), POLICY,
                NOW.plus(Duration.ofHours(6)));
        assertThat(later.decisions().get(0).state()).isEqualTo(ShardState.REVERTED);
        assertThat(later.toApply()).isEmpty();

        QueueInput changedByAPerson = new QueueInput(queue("a"), RUNBOOK.withMaxShards(150),
                ObservationBuilder.quiet().build(), ReceiverHealth.unknown());
        ShardCycleResult replaced = ShardCycle.run(List.of(changedByAPerson), later.nextState(), POLICY,
                NOW.plus(Duration.ofHours(7)));
        assertThat(replaced.decisions().get(0).state()).isEqualTo(ShardState.OK);
        assertThat(replaced.nextState().lastChange(queue("a"))).isEmpty();
    }

    @Test
    void ourConfigBackInPlaceClearsTheRevertMark() {
        TunerState reverted = new TunerState(Map.of(queue("a"), new AppliedChange(NOW.minus(Duration.ofHours(2)),
                RUNBOOK, RUNBOOK.withMaxShards(200), true)), List.of());
        QueueInput ours = new QueueInput(queue("a"), RUNBOOK.withMaxShards(200), ObservationBuilder.quiet().build(),
                ReceiverHealth.unknown());

        ShardCycleResult result = ShardCycle.run(List.of(ours), reverted, POLICY, NOW);

        assertThat(result.decisions().get(0).state()).isEqualTo(ShardState.OK);
        assertThat(result.nextState().lastChange(queue("a"))).hasValueSatisfying(c -> assertThat(c.reverted())
                .isFalse());
    }

    @Test
    void budgetEntriesOlderThanAnHourAreDroppedAndQueuesAbsentThisCycleKeepTheirRecord() {
        Instant old = NOW.minus(Duration.ofMinutes(61));
        TunerState state = TunerState.empty().withApplied(queue("gone"), RUNBOOK, RUNBOOK.withMaxShards(200), old);

        ShardCycleResult result = ShardCycle.run(List.of(quiet("a")), state, POLICY, NOW);

        assertThat(result.nextState().clusterChanges()).isEmpty();
        assertThat(result.nextState().lastChange(queue("gone"))).isPresent();
    }

    @Test
    void aThousandQueuesGetTheSameOutcomeInAnyInputOrder() {
        List<QueueInput> inputs = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            String agent = String.format("agent-%04d", i);
            switch (i % 4) {
                case 0 -> inputs.add(raising(agent, random.nextInt(40), random.nextInt(100_000)));
                case 1 -> inputs.add(lowering(agent, random.nextInt(40)));
                case 2 -> inputs.add(raising(agent, 30 + random.nextInt(60), 20_000));
                default -> inputs.add(quiet(agent));
            }
        }
        List<QueueInput> shuffled = new ArrayList<>(inputs);
        Collections.shuffle(shuffled, new Random(7));

        ShardCycleResult a = ShardCycle.run(inputs, TunerState.empty(), POLICY, NOW);
        ShardCycleResult b = ShardCycle.run(shuffled, TunerState.empty(), POLICY, NOW);

        assertThat(a.toApply()).hasSize(10).containsExactlyElementsOf(b.toApply());
        assertThat(agentsIn(a.toApply())).allMatch(agent -> Integer.parseInt(agent.substring(6)) % 4 != 1);
        assertThat(a.decisions()).hasSize(1_000);
        assertThat(a.decisions().stream().filter(d -> d.state() == ShardState.BUDGET_EXHAUSTED).count())
                .isEqualTo(a.decisions().stream().filter(ShardDecision::changesConfig).count()
                        - 10 - a.decisions().stream().filter(d -> d.state() == ShardState.WAITING_FOR_DRAIN).count());
    }
}
