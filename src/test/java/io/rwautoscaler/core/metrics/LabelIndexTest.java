package io.rwautoscaler.core.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LabelIndexTest {

    private static LabelIndex index() {
        LabelIndex i = new LabelIndex();
        for (int n = 0; n < 1000; n++) {
            i.add("pod-" + n, Map.of("app", n < 990 ? "agent" : "receive", "pod-name", "pod-" + n, "zone", "z" + (n % 3)));
        }
        return i;
    }

    @Test
    void narrowsToTheMostSelectiveEqualityOrInRequirement() {
        LabelIndex i = index();
        assertThat(i.candidates(LabelSelector.parse("app=agent,pod-name=pod-17"))).contains(new java.util.TreeSet<>(java.util.Set.of("pod-17")));
        assertThat(i.candidates(LabelSelector.parse("app=receive")).orElseThrow()).hasSize(10).first().isEqualTo("pod-990");
        assertThat(i.candidates(LabelSelector.parse("pod-name in (pod-3,pod-1,pod-999),zone=z0")).orElseThrow())
                .containsExactly("pod-1", "pod-3", "pod-999");
        assertThat(i.candidates(LabelSelector.parse("app=nope,zone=z1")).orElseThrow()).isEmpty();
        assertThat(i.candidates(LabelSelector.parse("missing=x")).orElseThrow()).isEmpty();
    }

    @Test
    void selectorsWithoutEqualityDoNotNarrow() {
        LabelIndex i = index();
        for (String s : new String[] {"", "app!=agent", "zone notin (z1)", "app", "!app", "app!=agent,zone"}) {
            assertThat(i.candidates(LabelSelector.parse(s))).as(s).isEqualTo(Optional.empty());
        }
    }
}
