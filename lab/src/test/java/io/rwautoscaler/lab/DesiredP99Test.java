package io.rwautoscaler.lab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DesiredP99Test {

    /** The shard tuner's 7-day p99 without sorting the week equals the p99 of the whole week, built and sorted. */
    @Test
    void p99WithABaselineEqualsThePercentileOfTheWholeWeek() {
        SplittableRandom r = new SplittableRandom(7);
        int points = 2016;
        for (int round = 0; round < 500; round++) {
            int n = r.nextInt(0, points + 1);
            double baseline = r.nextInt(1, 30);
            double[] recent = new double[n];
            for (int i = 0; i < n; i++) {
                recent[i] = r.nextInt(0, 60) / 2.0;
            }
            List<Double> week = new ArrayList<>();
            for (int i = n; i < points; i++) {
                week.add(baseline);
            }
            for (double v : recent) {
                week.add(v);
            }
            week.sort(Double::compare);
            double expected = week.get((int) Math.ceil(0.99 * week.size()) - 1);
            java.util.Arrays.sort(recent);
            assertThat(Simulation.p99WithBaseline(recent, baseline, points)).as("n=%d baseline=%s", n, baseline)
                    .isEqualTo(expected);
        }
    }
}
