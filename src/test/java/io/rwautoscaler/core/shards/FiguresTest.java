package io.rwautoscaler.core.shards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FiguresTest {

    @ParameterizedTest
    @CsvSource({
            "PT0S,       0s",
            "PT0.5S,     0s",
            "PT45S,      45s",
            "PT15M,      15m",
            "PT14M59S,   14m59s",
            "PT1H30M,    1h30m",
            "PT168H,     168h",
    })
    void durationsReadLikeTheRunbook(Duration d, String text) {
        assertThat(Figures.duration(d)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
            "140,        140",
            "0.05,       0.05",
            "41.6667,    41.67",
            "12345678.5, 12345678.5",
            "2.0,        2",
    })
    void numbersHaveAtMostTwoDecimalsAndNoExponent(double value, String text) {
        assertThat(Figures.num(value)).isEqualTo(text);
    }
}
