package io.rwautoscaler.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromDurationTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
            "30s,       30000",
            "15m,       900000",
            "10m,       600000",
            "1h,        3600000",
            "1h30m,     5400000",
            "2h0m,      7200000",
            "0,         0",
            "0s,        0",
            "500ms,     500",
            "1s500ms,   1500",
            "1d,        86400000",
            "1w,        604800000",
            "1y,        31536000000",
            "' 15m ',   900000",
    })
    void parsesPrometheusDurations(String text, long millis) {
        assertThat(PromDuration.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"15", "-5m", "15 min", "1.5h", "m", "30m1h", "1h 30m", "15M", "1H", "PT15M", "5mm",
            "99999999999999999999y", "1e3s"})
    void rejectsWhatPrometheusRejects(String text) {
        assertThat(PromDuration.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} ms renders as {1}")
    @CsvSource({
            "0,          0s",
            "30000,      30s",
            "900000,     15m",
            "5400000,    1h30m",
            "3600000,    1h",
            "86400000,   1d",
            "604800000,  1w",
            "1500,       1s500ms",
            "31536000000, 1y",
    })
    void formatsTheShortestSpelling(long millis, String text) {
        assertThat(PromDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(PromDuration.parse(text)).contains(Duration.ofMillis(millis));
    }

    @Test
    void refusesToFormatNegativeDurations() {
        assertThatThrownBy(() -> PromDuration.format(Duration.ofMinutes(-5))).isInstanceOf(IllegalArgumentException.class);
    }
}
