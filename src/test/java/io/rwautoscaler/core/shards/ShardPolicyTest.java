package io.rwautoscaler.core.shards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShardPolicyTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ShardPolicy p = ShardPolicy.defaults();

        assertThat(p.triggers()).isEqualTo(new ShardPolicy.Triggers(5_000, Duration.ofMinutes(15),
                Duration.ofMinutes(30)));
        assertThat(p.sizing()).isEqualTo(new ShardPolicy.Sizing(2.0, 1, 10, 1_000, 2.0, 2.0, 0.2, 3, 10, 10_000,
                0.9));
        assertThat(p.pacing()).isEqualTo(new ShardPolicy.Pacing(Duration.ofMinutes(30), Duration.ofMinutes(5), 10,
                Duration.ofSeconds(60)));
        assertThat(p.receiverLimits()).isEqualTo(new ShardPolicy.ReceiverLimits(0.1, 0.1, 2.0, 0.8, 0.01));
    }

    @Test
    void rejectsInconsistentBounds() {
        assertThatThrownBy(() -> new ShardPolicy.Sizing(2.0, 1, 10, 5, 2.0, 2.0, 0.2, 3, 10, 10_000, 0.9))
                .hasMessageContaining("maxShardsCeiling");
        assertThatThrownBy(() -> new ShardPolicy.Sizing(2.0, 1, 10, 1_000, 2.0, 2.0, 0.2, 11, 10, 10_000, 0.9))
                .hasMessageContaining("capacityMaxBatches");
        assertThatThrownBy(() -> new ShardPolicy.Sizing(0.5, 1, 10, 1_000, 2.0, 2.0, 0.2, 3, 10, 10_000, 0.9))
                .hasMessageContaining("headroom");
        assertThatThrownBy(() -> new ShardPolicy.Sizing(2.0, 1, 10, 1_000, 1.0, 2.0, 0.2, 3, 10, 10_000, 0.9))
                .hasMessageContaining("maxStepUp");
        assertThatThrownBy(() -> new ShardPolicy.Pacing(Duration.ofMinutes(30), Duration.ofMinutes(5), 10,
                Duration.ZERO)).hasMessageContaining("maxLagToApply");
        assertThatThrownBy(() -> new ShardPolicy.ReceiverLimits(-1, 0.1, 2, 0.8, 0.01))
                .hasMessageContaining("receiver limits");
    }

    @Test
    void aPolicyWithAnotherBudgetChangesOnlyThat() {
        ShardPolicy.Pacing p = ShardPolicy.Pacing.DEFAULTS;
        ShardPolicy two = ShardPolicy.defaults().withPacing(new ShardPolicy.Pacing(p.cooldown(), p.rolloutGrace(), 2,
                p.maxLagToApply()));

        assertThat(two.pacing().changesPerHour()).isEqualTo(2);
        assertThat(two.sizing()).isEqualTo(ShardPolicy.Sizing.DEFAULTS);
    }
}
