package io.rwautoscaler.bench.jmh;

import io.rwautoscaler.bench.AgentFleet;
import io.rwautoscaler.core.metrics.LabelSelector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Label selectors: parsing a request's selector, and matching one against all 10,000 series' labels. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SelectorBench {

    static final String SELECTOR = "app=prometheus-agent,remote_name in (thanos-a,thanos-b),pod!=prometheus-agent-0,!canary";

    List<Map<String, String>> labels;
    LabelSelector selector;

    @Setup
    public void setUp() {
        labels = new AgentFleet().samples(Instant.EPOCH).stream().map(s -> s.labels()).toList();
        selector = LabelSelector.parse(SELECTOR);
    }

    /** One labelSelector query parameter, 4 requirements (=, in, !=, !). */
    @Benchmark
    public LabelSelector parse() {
        return LabelSelector.parse(SELECTOR);
    }

    /** That selector over every one of the 10,000 series (8 labels each); about half match. */
    @Benchmark
    public int match10kSeries() {
        int n = 0;
        for (Map<String, String> l : labels) {
            if (selector.matches(l)) {
                n++;
            }
        }
        return n;
    }
}
