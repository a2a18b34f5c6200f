package io.rwautoscaler.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowCoverageTest {

    static final Instant NOW = Instant.parse("2026-12-04T16:33:00Z");

    /** A 15m window at 30s has 30 steps; 27 of them (90%) must have a point. */
    @ParameterizedTest(name = "{0} points of 15m at 30s → covered {1}, observed {2}s")
    @CsvSource({
            "0,   false, 0",
            "1,   false, 0",
            "2,   false, 30",    // the case: agents started 43 s ago
            "26,  false, 750",
            "27,  true,  780",
            "30,  true,  870",
            "31,  true,  900",   // both ends of the range inclusive (Prometheus 2.x)
            "500, true,  900",   // never more than the window
            "NaN, false, 0",
            "-3,  false, 0",
    })
    void pointsOfASubquery(double points, boolean covered, long observedSeconds) {
        WindowCoverage c = WindowCoverage.fromPoints(Duration.ofMinutes(15), Duration.ofSeconds(30), points);
        assertThat(c.covered()).isEqualTo(covered);
        assertThat(c.observed()).isEqualTo(Duration.ofSeconds(observedSeconds));
        assertThat(c.earliestSince(NOW)).isEqualTo(NOW.minusSeconds(observedSeconds));
    }

    @Test
    void shortfallSaysHowMuchOfTheWindowWasSeen() {
        assertThat(WindowCoverage.fromPoints(Duration.ofMinutes(15), Duration.ofSeconds(30), 2).shortfall())
                .isEqualTo("only 30s of 15m observed");
        assertThat(WindowCoverage.of(Duration.ofMinutes(15), Duration.ofSeconds(43)).shortfall())
                .isEqualTo("only 43s of 15m observed");
        assertThat(WindowCoverage.of(Duration.ofHours(1), Duration.ofMinutes(61)).shortfall()).isEmpty();
        assertThat(WindowCoverage.of(Duration.ofDays(7), Duration.ofHours(30)).shortfall())
                .isEqualTo("only 1d6h of 1w observed");
    }

    @ParameterizedTest(name = "held {1} of {0} → covered {2}")
    @CsvSource({
            "PT15M, PT0S,      false",
            "PT15M, PT43S,     false",
            "PT15M, PT14M59S,  false",
            "PT15M, PT15M,     true",
            "PT15M, PT2H,      true",
            "PT0S,  PT0S,      true",   // a zero window needs no data beyond the current value
            "PT15M, -PT1M,     false",  // a clock that moved back proves nothing
    })
    void aContinuousHoldHasNoTolerance(Duration window, Duration held, boolean covered) {
        assertThat(WindowCoverage.of(window, held).covered()).isEqualTo(covered);
    }

    @Test
    void sinceTheFirstSample() {
        WindowCoverage c = WindowCoverage.since(Duration.ofMinutes(15), NOW.minusSeconds(43), NOW);
        assertThat(c.covered()).isFalse();
        assertThat(c.observed()).isEqualTo(Duration.ofSeconds(43));
        assertThat(WindowCoverage.since(Duration.ofMinutes(15), NOW.minusSeconds(901), NOW).covered()).isTrue();
    }

    @Test
    void aWindowShorterThanTheStepIsSampledAtItsOwnLength() {
        WindowCoverage one = WindowCoverage.fromPoints(Duration.ofSeconds(10), Duration.ofSeconds(30), 1);
        assertThat(one.covered()).isTrue();
        assertThat(WindowCoverage.fromPoints(Duration.ofSeconds(10), Duration.ofSeconds(30), 0).covered()).isFalse();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> WindowCoverage.fromPoints(Duration.ofMinutes(1), Duration.ZERO, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WindowCoverage.of(Duration.ofMinutes(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
