package io.rwautoscaler.shards;

import io.rwautoscaler.core.shards.ShardPolicy;
import io.rwautoscaler.testsupport.TestConfigs;
import io.smallrye.config.ConfigValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** autoscaler.shards.* defaults are the documented policy defaults; a bad value fails naming its key. */
class ShardWiringTest {

    @Test
    void defaultConfigIsTheDefaultPolicy() {
        assertThat(new ShardWiring().shardPolicy(TestConfigs.shards(Map.of()))).isEqualTo(ShardPolicy.defaults());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "autoscaler.shards.headroom, 0.5",
            "autoscaler.shards.max-shards-floor, 0",
            "autoscaler.shards.raise-window, 0s",
            "autoscaler.shards.cooldown, -1m",
            "autoscaler.shards.max-lag-to-apply, 0s",
            "autoscaler.shards.queue-threshold, -1",
    })
    void anInvalidValueFailsWithOneLineNamingTheKey(String key, String value) {
        assertThatThrownBy(() -> new ShardWiring().shardPolicy(TestConfigs.shards(Map.of(key, value))))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining(key + ":");
    }

    @Test
    void aReceiverQueryIsTurnedOffWithNoneOrEmpty() {
        var c = TestConfigs.shards(Map.of("autoscaler.shards.receiver-queries.errors5xx", "none",
                "autoscaler.shards.receiver-queries.cpu-utilization", ""));
        var q = new io.rwautoscaler.shards.QueueObserver.ReceiverQueries(c.receiverQueries().errors5xx(),
                c.receiverQueries().throttled429(), c.receiverQueries().p99Latency(),
                c.receiverQueries().cpuUtilization());
        assertThat(q.errors5xx()).isEmpty();
        assertThat(q.throttled429()).hasValueSatisfying(v -> assertThat(v).contains("code=\"429\""));
        assertThat(q.cpuUtilization()).isEmpty(); // an empty value too
    }
}
