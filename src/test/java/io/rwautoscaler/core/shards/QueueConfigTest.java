package io.rwautoscaler.core.shards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueueConfigTest {

    @Test
    void unsetFieldsMeanThePrometheusDefaults() {
        QueueConfig unset = QueueConfig.unset();

        assertThat(unset.effectiveMinShards()).isEqualTo(1);
        assertThat(unset.effectiveMaxShards()).isEqualTo(50);
        assertThat(unset.effectiveCapacity()).isEqualTo(10_000);
        assertThat(unset.effectiveMaxSamplesPerSend()).isEqualTo(2_000);
        assertThat(unset.sameEffective(QueueConfig.of(1, 50, 10_000, 2_000))).isTrue();
        assertThat(unset).isNotEqualTo(QueueConfig.of(1, 50, 10_000, 2_000));
    }

    @Test
    void changesToListsOnlyEffectiveDifferences() {
        QueueConfig runbook = QueueConfig.unset().withMinShards(10).withMaxShards(100).withCapacity(20_000);

        assertThat(runbook.changesTo(runbook.withMaxSamplesPerSend(2_000))).isEmpty();
        assertThat(runbook.changesTo(runbook.withMaxShards(200).withCapacity(40_000).withMaxSamplesPerSend(4_000)))
                .isEqualTo("maxShards 100 → 200, capacity 20000 → 40000, maxSamplesPerSend 2000 → 4000");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void rejectsBoundsBelowOne(int value) {
        assertThatThrownBy(() -> QueueConfig.unset().withMaxShards(value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxShards must be at least 1");
    }

    @Test
    void nullFieldsAreUnset() {
        assertThat(new QueueConfig(null, null, null, null)).isEqualTo(QueueConfig.unset());
        assertThat(new QueueConfig(null, OptionalInt.of(7), null, null).effectiveMaxShards()).isEqualTo(7);
    }
}
