package io.rwautoscaler.core.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sample.Labels is a Map by contract: equal to and hashing like any map with the same entries, never changing. */
class SampleLabelsTest {

    @Test
    void behavesAsAnImmutableSortedMapEqualToAnyMapWithTheSameEntries() {
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put("pod", "agent-0");
        plain.put("namespace", "mon");
        plain.put("app", "prometheus");
        Sample.Labels l = Sample.Labels.of(plain);

        assertThat(l.keySet()).containsExactly("app", "namespace", "pod");
        assertThat(l.get("namespace")).isEqualTo("mon");
        assertThat(l.get("missing")).isNull();
        assertThat(l.get(42)).isNull();
        assertThat(l.containsKey("pod")).isTrue();
        assertThat(l.containsKey("job")).isFalse();
        assertThat(l).hasSize(3).isEqualTo(plain).isEqualTo(new HashMap<>(plain));
        assertThat(new HashMap<>(plain)).isEqualTo(l);
        assertThat(l.hashCode()).isEqualTo(plain.hashCode());
        assertThat(l).isNotEqualTo(Map.of("app", "prometheus", "namespace", "mon", "pod", "agent-1"));
        assertThat(Sample.Labels.of(l)).isSameAs(l);

        assertThatThrownBy(() -> l.put("job", "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> l.remove("pod")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(l::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> l.entrySet().iterator().next().setValue("x")).isInstanceOf(UnsupportedOperationException.class);
        plain.put("pod", "changed");
        assertThat(l.get("pod")).isEqualTo("agent-0");
    }

    @Test
    void arraysAreSortedWhenNeededAndALaterDuplicateWins() {
        Sample.Labels sorted = Sample.Labels.ofArrays(new String[]{"a", "b"}, new String[]{"1", "2"});
        Sample.Labels unsorted = Sample.Labels.ofArrays(new String[]{"b", "a", "b"}, new String[]{"x", "1", "2"});
        assertThat(unsorted).isEqualTo(sorted).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(unsorted.keySet()).containsExactly("a", "b");
        assertThat(Sample.Labels.ofArrays(new String[0], new String[0])).isEmpty();
        assertThatThrownBy(() -> Sample.Labels.ofArrays(new String[]{"a"}, new String[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 label names but 0 values");
    }

    @Test
    void samplesOfTheSameSeriesShareTheirLabels() {
        Sample s = new Sample(Map.of("pod", "a"), 1, Instant.EPOCH);
        assertThat(s.withTimestamp(Instant.now()).labels()).isSameAs(s.labels());
        assertThat(new Sample(null, 1, Instant.EPOCH).labels()).isEmpty();
    }
}
