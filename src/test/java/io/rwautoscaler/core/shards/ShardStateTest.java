package io.rwautoscaler.core.shards;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ShardStateTest {

    @ParameterizedTest
    @CsvSource({
            "OK,                   ok",
            "RAISE,                raise",
            "LOWER,                lower",
            "WAITING_FOR_DRAIN,    waiting-for-drain",
            "COOLDOWN,             cooldown",
            "REVERTED,             reverted",
            "RECEIVERS_BOTTLENECK, receivers-bottleneck",
            "INSUFFICIENT_DATA,    insufficient-data",
            "BUDGET_EXHAUSTED,     budget-exhausted",
    })
    void wireNamesMatchTheReport(ShardState state, String wireName) {
        assertThat(state.wireName()).isEqualTo(wireName);
    }

    @ParameterizedTest
    @EnumSource(ShardState.class)
    void wireNamesRoundTrip(ShardState state) {
        assertThat(ShardState.fromWireName(state.wireName())).contains(state);
        assertThat(state.applies()).isEqualTo(state == ShardState.RAISE || state == ShardState.LOWER);
    }

    @Test
    void unknownWireNameIsEmpty() {
        assertThat(ShardState.fromWireName("OK")).isEmpty();
    }
}
