package io.rwautoscaler.core.sizing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CounterRatesTest {

    static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
    static final Duration SCRAPE = Duration.ofSeconds(30);

    static double[] rates(UsageSeries s) {
        double[] r = new double[s.pointCount()];
        for (int i = 0; i < r.length; i++) {
            r[i] = s.valueAt(i);
        }
        return r;
    }

    @Test
    void steadyCounterGivesSteadyRate() {
        // 0.2 CPU-seconds per second for 30 s intervals = 6 s of CPU per scrape.
        UsageSeries counter = UsageSeries.regular(T0, SCRAPE, 100, 106, 112, 118);
        UsageSeries r = CounterRates.perInterval(counter);
        assertThat(rates(r)).containsExactly(new double[]{0.2, 0.2, 0.2}, within(1e-12));
        assertThat(r.timeAt(0)).isEqualTo(T0.plus(SCRAPE));
        assertThat(r.step()).isEqualTo(SCRAPE);
    }

    @Test
    void aResetCountsTheNewValueAsTheIncreaseLikePrometheusRate() {
        // Restart between 112 and 3: the counter began again at 0, so that interval's increase is 3, never 3 - 112.
        UsageSeries counter = UsageSeries.regular(T0, SCRAPE, 100, 106, 112, 3, 9);
        assertThat(rates(CounterRates.perInterval(counter))).containsExactly(new double[]{0.2, 0.2, 0.1, 0.2}, within(1e-12));
    }

    @Test
    void severalResetsNeverGiveANegativeRate() {
        UsageSeries counter = UsageSeries.regular(T0, SCRAPE, 50, 0, 6, 0, 0, 6);
        double[] r = rates(CounterRates.perInterval(counter));
        assertThat(r).containsExactly(new double[]{0, 0.2, 0, 0, 0.2}, within(1e-12));
        assertThat(java.util.Arrays.stream(r).min().orElseThrow()).isNotNegative();
    }

    @Test
    void intervalsAcrossAGapGiveNoPoint() {
        // 100 → 130 over 5 missing scrapes would average the peak away: the rate series gets a gap instead.
        UsageSeries counter = UsageSeries.regular(T0, SCRAPE, 100, 106, Double.NaN, Double.NaN, Double.NaN, 124, 130);
        UsageSeries r = CounterRates.perInterval(counter);
        assertThat(rates(r)).containsExactly(new double[]{0.2, 0.2}, within(1e-12));
        assertThat(r.gapCount()).isEqualTo(1);
    }

    @Test
    void tooFewSamplesGiveAnEmptySeries() {
        assertThat(CounterRates.perInterval(UsageSeries.regular(T0, SCRAPE, 5)).isEmpty()).isTrue();
        assertThat(CounterRates.perInterval(UsageSeries.empty(SCRAPE)).isEmpty()).isTrue();
    }

    @Test
    void ratesPerPodMergeIntoOneContainerSeries() {
        UsageSeries podA = CounterRates.perInterval(UsageSeries.regular(T0, SCRAPE, 0, 6, 12));
        UsageSeries podB = CounterRates.perInterval(UsageSeries.regular(T0, SCRAPE, 1000, 1012, 1024));
        UsageSeries container = UsageSeries.merge(List.of(podA, podB));
        assertThat(container.pointCount()).isEqualTo(4);
        assertThat(container.max()).isCloseTo(0.4, within(1e-12));
        assertThat(container.mean()).isCloseTo(0.3, within(1e-12));
    }
}
