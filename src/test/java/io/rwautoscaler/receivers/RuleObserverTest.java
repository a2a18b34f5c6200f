package io.rwautoscaler.receivers;

import io.rwautoscaler.testsupport.FakePrometheus;

import io.rwautoscaler.core.receivers.ReceiverPolicy;
import io.rwautoscaler.core.receivers.RuleEvaluation;
import io.rwautoscaler.core.receivers.RuleHoldHistory;
import io.rwautoscaler.core.receivers.RuleObservation;
import io.rwautoscaler.core.receivers.RuleState;
import io.rwautoscaler.core.receivers.RunbookRules;
import io.rwautoscaler.prometheus.PrometheusException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class RuleObserverTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final ReceiverPolicy POLICY = ReceiverPolicy.defaults();

    final FakePrometheus prometheus = new FakePrometheus();
    final RuleObserver observer = new RuleObserver(prometheus);

    RuleObservation observed(String rule) {
        return observer.observe(POLICY, NOW).observations().get(rule);
    }

    @Test
    void scaleOutRuleIsProvenByTheMinimumOfItsWindowAndReadsTheCurrentValue() {
        prometheus.answer("min_over_time((" + RunbookRules.RECEIVER_CPU + ")[10m:30s])", 0.83)
                .answer(RunbookRules.RECEIVER_CPU, 0.91);

        RuleObservation cpu = observed(RunbookRules.RECEIVER_CPU_HIGH);

        assertThat(cpu.provenValue()).isEqualTo(OptionalDouble.of(0.83));
        assertThat(cpu.instantValue()).isEqualTo(OptionalDouble.of(0.91));
    }

    @Test
    void equalityRuleNeedsBothExtremes() {
        prometheus.answer("min_over_time((" + RunbookRules.AGENT_QUEUE + ")[30m:30s])", 0)
                .answer("max_over_time((" + RunbookRules.AGENT_QUEUE + ")[30m:30s])", 0)
                .answer(RunbookRules.AGENT_QUEUE, 0);
        assertThat(observed(RunbookRules.AGENT_QUEUE_EMPTY).provenValue()).isEqualTo(OptionalDouble.of(0));

        prometheus.answer("max_over_time((" + RunbookRules.AGENT_QUEUE + ")[30m:30s])", 12);
        assertThat(observed(RunbookRules.AGENT_QUEUE_EMPTY).provenValue()).isEqualTo(OptionalDouble.of(12));
    }

    @Test
    void aQueryWithoutSeriesIsNoDataAndTheRuleIsUnknownNeverFine() {
        RuleObserver.Observed observed = observer.observe(POLICY, NOW);

        assertNoData(observed.observations().get(RunbookRules.RECEIVER_MEMORY_HIGH));
        assertThat(observed.errors().get(RunbookRules.RECEIVER_MEMORY_HIGH)).startsWith("no data: ");
        RuleEvaluation evaluation = RuleEvaluation.evaluate(POLICY, observed.observations(), RuleHoldHistory.empty(), NOW);
        assertThat(evaluation.statuses()).allSatisfy(s -> assertThat(s.state()).isEqualTo(RuleState.UNKNOWN));
    }

    @Test
    void severalSeriesAreNotGuessedAtButReportedAsNoData() {
        prometheus.answerContaining(RunbookRules.RECEIVER_VOLUME, 0.5, 0.9);

        RuleObserver.Observed observed = observer.observe(POLICY, NOW);

        assertNoData(observed.observations().get(RunbookRules.RECEIVER_VOLUME_HIGH));
        assertThat(observed.errors().get(RunbookRules.RECEIVER_VOLUME_HIGH)).contains("returned 2 series").contains("aggregate");
    }

    @Test
    void nanIsNoData() {
        prometheus.answerContaining(RunbookRules.RECEIVER_LATENCY_P99, Double.NaN);

        RuleObserver.Observed observed = observer.observe(POLICY, NOW);

        assertNoData(observed.observations().get(RunbookRules.RECEIVER_LATENCY_HIGH));
        assertThat(observed.errors().get(RunbookRules.RECEIVER_LATENCY_HIGH)).contains("NaN");
    }

    @Test
    void aFailingQueryOnlyAffectsItsRules() {
        prometheus.failContaining("container_memory_working_set_bytes", PrometheusException.Reason.TIMEOUT)
                .answerContaining(RunbookRules.RECEIVER_CPU, 0.5);

        RuleObserver.Observed observed = observer.observe(POLICY, NOW);

        assertThat(observed.errors().get(RunbookRules.RECEIVER_MEMORY_HIGH)).startsWith("TIMEOUT: ");
        assertThat(observed.errors().get(RunbookRules.RECEIVER_MEMORY_LOW)).startsWith("TIMEOUT: ");
        assertThat(observed.observations().get(RunbookRules.RECEIVER_CPU_HIGH).provenValue()).isEqualTo(OptionalDouble.of(0.5));
        assertThat(observed.errors()).doesNotContainKey(RunbookRules.RECEIVER_CPU_HIGH);
    }

    @Test
    void eachQueryTextRunsOncePerCycleAndAtTheCyclesInstant() {
        RuleObserver.Observed observed = observer.observe(POLICY, NOW);

        // 9 window proofs (== needs two), 5 distinct expressions for the current values, 8 windows' point counts
        assertThat(observed.queries()).isEqualTo(22);
        assertThat(prometheus.asked).hasSize(22).doesNotHaveDuplicates();
        assertThat(prometheus.asked).filteredOn(q -> q.startsWith("count_over_time((")).hasSize(8);
        assertThat(prometheus.times).containsOnly(NOW);
    }

    /** No value, and a window with no point: nothing proven. */
    static void assertNoData(RuleObservation seen) {
        assertThat(seen.provenValue()).isEmpty();
        assertThat(seen.instantValue()).isEmpty();
        assertThat(seen.coverage()).hasValueSatisfying(c -> assertThat(c.covered()).isFalse());
    }
}
