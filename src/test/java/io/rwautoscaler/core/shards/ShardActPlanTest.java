package io.rwautoscaler.core.shards;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shard loop's act choice as a table: leader?, to apply?, backoff left → the one step the loop carries out. */
class ShardActPlanTest {

    static final QueueId QUEUE = new QueueId("monitoring", "prometheus-agent", "", "thanos", "http://thanos:19291/api/v1/receive");

    static ShardDecision decision(ShardState state) {
        return new ShardDecision(QUEUE, state, QueueConfig.of(1, 10, 2500, 500), QueueConfig.of(1, 20, 5000, 500),
                "reason", true, "lag 0s < 60s");
    }

    @ParameterizedTest(name = "leader={0}, apply={1}, backoff={2} → {3}")
    @CsvSource({
            "false, true,  0, NoteNotLeader",
            "false, false, 0, none",
            "false, true,  3, NoteNotLeader",
            "true,  false, 0, PostSituation",
            "true,  false, 5, PostSituation",
            "true,  true,  0, Patch",
            "true,  true,  3, WaitBackoff",
    })
    void oneStepPerDecision(boolean leader, boolean apply, int backoff, String step) {
        ShardDecision d = decision(apply ? ShardState.RAISE : ShardState.OK);
        ShardCycleResult result = new ShardCycleResult(List.of(d), apply ? List.of(d) : List.of(), TunerState.empty(),
                Instant.EPOCH);
        ShardActPlan plan = ShardActPlan.of(result, leader, q -> Map.of(QUEUE, backoff).getOrDefault(q, 0));
        if (step.equals("none")) {
            assertThat(plan.steps()).isEmpty();
            return;
        }
        assertThat(plan.steps()).hasSize(1);
        ShardActPlan.Step s = plan.steps().get(0);
        assertThat(s.getClass().getSimpleName()).isEqualTo(step);
        assertThat(s.decision()).isSameAs(d);
        if (s instanceof ShardActPlan.WaitBackoff w) {
            assertThat(w.cyclesLeft()).isEqualTo(backoff);
        }
    }
}
