package io.rwautoscaler.lab;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadCurveTest {

    @Test
    void linearBetweenPointsWithStepsAndFlatEnds() {
        LoadCurve c = LoadCurve.of(0, 8000, 600, 8000, 600, 16000, 1200, 20000);
        assertThat(c.at(-5)).isEqualTo(8000);
        assertThat(c.at(300)).isEqualTo(8000);
        assertThat(c.at(600)).isEqualTo(16000);
        assertThat(c.at(900)).isEqualTo(18000);
        assertThat(c.at(5000)).isEqualTo(20000);
        assertThat(c.firstChangeSeconds()).isEqualTo(600);
        assertThat(LoadCurve.of(0, 5, 60, 10).firstChangeSeconds()).isZero();
    }
}
