package io.rwautoscaler.core.sizing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PercentilesTest {

    // Expected values are what Prometheus's quantile_over_time returns for the same points.
    @ParameterizedTest(name = "q={1} of [{0}] = {2}")
    @CsvSource(delimiter = ';', value = {
            "1 2 3 4 5; 0.5; 3",
            "1 2 3 4 5; 0; 1",
            "1 2 3 4 5; 1; 5",
            "1 2 3 4 5; 0.95; 4.8",       // rank 3.8: 4 × 0.2 + 5 × 0.8
            "1 2 3 4 5; 0.25; 2",
            "5 1 4 2 3; 0.95; 4.8",       // order does not matter
            "10 20; 0.25; 12.5",
            "7; 0.95; 7",
            "2 2 2 2; 0.95; 2",
            "0 0 0 100; 0.9; 70",         // rank 2.7 between 0 and 100
            "1 2 3 4 5 6 7 8 9 10; 0.95; 9.55",
    })
    void linearInterpolationLikePrometheus(String values, double q, double expected) {
        double[] v = Arrays.stream(values.split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertThat(Percentiles.linear(v, v.length, q)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void onlyTheFirstLengthValuesCount() {
        double[] v = {3, 1, 2, 1000, 1000};
        assertThat(Percentiles.linear(v, 3, 1)).isEqualTo(3);
    }

    @Test
    void noValuesGiveNaN() {
        assertThat(Percentiles.linear(new double[0], 0, 0.95)).isNaN();
    }

    @ParameterizedTest
    @CsvSource({"-0.01", "1.01", "NaN"})
    void quantileOutsideZeroToOneIsRejected(double q) {
        assertThatThrownBy(() -> Percentiles.linear(new double[]{1}, 1, q)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void selectionAgreesWithSortingOnRandomAndAwkwardInput() {
        Random random = new Random(42);
        double[] qs = {0, 0.01, 0.5, 0.9, 0.95, 0.99, 1};
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(300);
            double[] v = new double[n];
            int shape = round % 4;
            for (int i = 0; i < n; i++) {
                v[i] = switch (shape) {
                    case 0 -> random.nextDouble();
                    case 1 -> random.nextInt(3);       // many duplicates
                    case 2 -> i;                       // already sorted
                    default -> n - i;                  // reversed
                };
            }
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            for (double q : qs) {
                double rank = q * (n - 1);
                int lo = (int) Math.floor(rank);
                int hi = Math.min(lo + 1, n - 1);
                double expected = sorted[lo] * (1 - (rank - lo)) + sorted[hi] * (rank - lo);
                assertThat(Percentiles.linear(v.clone(), n, q)).as("n=%d q=%s shape=%d", n, q, shape)
                        .isCloseTo(expected, within(1e-12));
            }
        }
    }
}
