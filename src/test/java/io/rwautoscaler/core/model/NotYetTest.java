package io.rwautoscaler.core.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class NotYetTest {

    @Test
    void saysWhenTheFirstCycleRuns() {
        assertThat(NotYet.message("shard tuner report", true, "autoscaler.shards.enabled", Duration.ofSeconds(5),
                Duration.ofMinutes(1))).isEqualTo("no shard tuner report yet: the first cycle runs 5s after start-up, then every 1m");
    }

    @Test
    void saysWhenTheLoopIsOff() {
        assertThat(NotYet.message("receiver policy report", false, "autoscaler.policy.enabled", Duration.ofSeconds(5),
                Duration.ofSeconds(30))).isEqualTo("no receiver policy report yet: the loop is off (autoscaler.policy.enabled=false)");
    }
}
