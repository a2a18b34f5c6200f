package io.rwautoscaler.core.model;

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
            "PT24H,      1d",
            // one 7-day window reads the same in every report (it used to be 168h here, 7d in right-sizing)
            "PT168H,     1w",
            "-PT5S,      0s",
    })
    void durationsReadAsPrometheusWritesThem(Duration d, String text) {
        assertThat(Figures.duration(d)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
            "140,        140",
            "0.05,       0.05",
            "41.6667,    41.67",
            "12345678.5, 12345678.5",
            "2.0,        2",
            "-0.001,     0",
    })
    void numbersHaveAtMostTwoDecimalsAndNoExponent(double value, String text) {
        assertThat(Figures.num(value)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
            "0.35,   0, 35%",
            "0.8,    0, 80%",
            "0.3512, 1, 35.1%",
            "0.41667, 2, 41.67%",
    })
    void percentagesKeepTheAskedDecimals(double fraction, int places, String text) {
        assertThat(Figures.percent(fraction, places)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
            "5000,     5000",
            "0.83333,  0.8333",
            "12345.67, 12345.7",
            "0.1,      0.1",
    })
    void readableKeepsFourSignificantDigits(double value, String text) {
        assertThat(Figures.readable(value)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"5000, 5000", "0.3, 0.3", "1.0E-7, 1.0E-7"})
    void promqlLiteralsAreExact(double value, String text) {
        assertThat(Figures.promql(value)).isEqualTo(text);
    }
}
