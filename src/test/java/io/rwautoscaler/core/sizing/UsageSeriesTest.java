package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.rwautoscaler.core.sizing.UsageShapes.NOW;
import static io.rwautoscaler.core.sizing.UsageShapes.STEP;
import static io.rwautoscaler.core.sizing.UsageShapes.lastPoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class UsageSeriesTest {

    static final double NaN = Double.NaN;
    static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

    @Test
    void regularPointsCoverOneStepEach() {
        UsageSeries s = UsageSeries.regular(T0, STEP, 1, 2, 3, 4);
        assertThat(s.pointCount()).isEqualTo(4);
        assertThat(s.coverage()).isEqualTo(Duration.ofMinutes(20));
        assertThat(s.gapCount()).isZero();
        assertThat(s.gapDuration()).isZero();
        assertThat(s.max()).isEqualTo(4);
        assertThat(s.mean()).isEqualTo(2.5);
    }

    @Test
    void gapsAreExcludedNotCountedAsZero() {
        // Two missing points: a zero there would pull the mean to 6/6 = 1 and the minimum to 0.
        UsageSeries s = UsageSeries.regular(T0, STEP, 2, NaN, NaN, 2, 1, 1);
        assertThat(s.pointCount()).isEqualTo(4);
        assertThat(s.coverage()).isEqualTo(Duration.ofMinutes(20));
        assertThat(s.gapCount()).isEqualTo(1);
        assertThat(s.gapDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.mean()).isEqualTo(1.5);
        assertThat(s.percentile(0)).isEqualTo(1);
    }

    @Test
    void coveragePlusGapsSpanTheSeries() {
        UsageSeries s = UsageSeries.regular(T0, STEP, 1, NaN, 1, NaN, NaN, NaN, 1, 1);
        Duration span = Duration.between(s.timeAt(0), s.timeAt(s.pointCount() - 1)).plus(STEP);
        assertThat(s.coverage().plus(s.gapDuration())).isEqualTo(span);
        assertThat(s.gapCount()).isEqualTo(2);
    }

    @ParameterizedTest(name = "next point after {0}s: gap={1}")
    @CsvSource({"300, false", "400, false", "450, false", "451, true", "600, true"})
    void aGapIsMoreThanOneAndAHalfSteps(long seconds, boolean gap) {
        UsageSeries s = UsageSeries.of(STEP, new long[]{0, seconds * 1000}, new double[]{1, 1});
        assertThat(s.gapCount()).isEqualTo(gap ? 1 : 0);
    }

    @Test
    void pointsDenserThanTheStepAreNotCountedTwice() {
        // Two pods scraped 15 s apart, merged: the 10 minutes they span are covered once.
        UsageSeries a = UsageSeries.regular(T0, STEP, 1, 1);
        UsageSeries b = UsageSeries.regular(T0.plusSeconds(15), STEP, 2, 2);
        UsageSeries merged = UsageSeries.merge(List.of(a, b));
        assertThat(merged.pointCount()).isEqualTo(4);
        assertThat(merged.coverage()).isEqualTo(Duration.ofSeconds(600 + 15));
        assertThat(merged.valueAt(0)).isEqualTo(1);
        assertThat(merged.valueAt(1)).isEqualTo(2);
    }

    @Test
    void mergeKeepsEveryPodsPointsInTimeOrder() {
        UsageSeries a = UsageSeries.regular(T0, STEP, 1, 3, 5);
        UsageSeries b = UsageSeries.regular(T0, STEP, 2, 4, 6);
        UsageSeries merged = UsageSeries.merge(List.of(a, b));
        assertThat(merged.pointCount()).isEqualTo(6);
        assertThat(merged.coverage()).isEqualTo(Duration.ofMinutes(15));
        assertThat(merged.max()).isEqualTo(6);
        assertThat(merged.mean()).isEqualTo(3.5);
        for (int i = 1; i < 6; i++) {
            assertThat(merged.timeAt(i)).isAfterOrEqualTo(merged.timeAt(i - 1));
        }
    }

    @Test
    void windowIsLeftOpenRightClosedLikeARangeSelector() {
        UsageSeries s = UsageSeries.regular(T0, STEP, 1, 2, 3, 4, 5);
        UsageSeries w = s.window(T0.plus(STEP), T0.plus(STEP.multipliedBy(3)));
        assertThat(w.pointCount()).isEqualTo(2);
        assertThat(w.valueAt(0)).isEqualTo(3);
        assertThat(w.valueAt(1)).isEqualTo(4);
        assertThat(w.max()).isEqualTo(4);
        assertThat(s.window(T0.minusSeconds(1), T0.plus(Duration.ofDays(1)))).isSameAs(s);
        assertThat(s.window(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2))).isEmpty()).isTrue();
    }

    @Test
    void windowOfAWindowStaysInsideTheFirst() {
        UsageSeries s = UsageSeries.regular(T0, STEP, 1, 2, 3, 4, 5);
        UsageSeries inner = s.window(T0, T0.plus(STEP.multipliedBy(3))).window(T0.minusSeconds(600), T0.plusSeconds(600));
        assertThat(inner.pointCount()).isEqualTo(2);
        assertThat(inner.valueAt(1)).isEqualTo(3);
        assertThatThrownBy(() -> inner.valueAt(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void statisticsOfAnEmptySeriesAreNaNAndInsufficient() {
        UsageStatistics st = UsageSeries.empty(STEP).statistics(0.95);
        assertThat(st.points()).isZero();
        assertThat(st.coverage()).isZero();
        assertThat(st.percentile()).isNaN();
        assertThat(st.max()).isNaN();
        assertThat(st.mean()).isNaN();
        assertThat(st.covers(Duration.ZERO)).isFalse();
    }

    @Test
    void statisticsCollectEverythingTheReportShows() {
        UsageStatistics st = UsageSeries.regular(T0, STEP, 1, 2, NaN, 3, 4, 5).statistics(0.95);
        assertThat(st).isEqualTo(new UsageStatistics(5, Duration.ofMinutes(25), 1, Duration.ofMinutes(5),
                0.95, 4.8, 5, 3));
    }

    // The default minimum: 24 h observed within the 7 d window; gaps do not count, nor does data older than the window.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "exactly 24h of points; 288; 0; true",
            "one point short of 24h; 287; 0; false",
            "a week; 2016; 0; true",
            "a week with every other point missing; 2016; 2; true",     // 1008 points = 84h
            "30h with every third point kept; 360; 3; false",           // 120 points = 10h
    })
    void sufficiency(String name, int points, int keepEvery, boolean sufficient) {
        UsageSeries s = lastPoints(points, i -> keepEvery == 0 || i % keepEvery == 0 ? 1 : NaN);
        UsageStatistics st = s.window(NOW.minus(Duration.ofDays(7)), NOW).statistics(0.95);
        assertThat(st.covers(Duration.ofHours(24))).isEqualTo(sufficient);
    }

    @Test
    void dataOlderThanTheWindowDoesNotCount() {
        // Ten days of data, only the last seven are in the window.
        UsageSeries s = lastPoints(10 * 288, i -> i < 3 * 288 ? 100 : 1);
        UsageSeries w = s.window(NOW.minus(Duration.ofDays(7)), NOW);
        assertThat(w.pointCount()).isEqualTo(7 * 288);
        assertThat(w.coverage()).isEqualTo(Duration.ofDays(7));
        assertThat(w.max()).isEqualTo(1);
    }

    @Test
    void nonFiniteValuesAreGaps() {
        UsageSeries s = UsageSeries.regular(T0, STEP, 1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2);
        assertThat(s.pointCount()).isEqualTo(2);
        assertThat(s.gapCount()).isEqualTo(1);
    }

    @Test
    void fromSamplesSortsByTime() {
        List<Sample> samples = List.of(
                new Sample(Map.of("pod", "a"), 3, T0.plus(STEP.multipliedBy(2))),
                new Sample(Map.of("pod", "a"), 1, T0),
                new Sample(Map.of("pod", "a"), 2, T0.plus(STEP)));
        UsageSeries s = UsageSeries.fromSamples(STEP, samples);
        assertThat(s.timeAt(0)).isEqualTo(T0);
        assertThat(s.valueAt(2)).isEqualTo(3);
        assertThat(s.coverage()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void rejectsWhatCannotBeASeries() {
        assertThatThrownBy(() -> UsageSeries.of(STEP, new long[]{2, 1}, new double[]{1, 1}))
                .hasMessageContaining("must not decrease");
        assertThatThrownBy(() -> UsageSeries.of(STEP, new long[]{1}, new double[]{1, 2}))
                .hasMessageContaining("differ in length");
        assertThatThrownBy(() -> UsageSeries.empty(Duration.ZERO)).hasMessageContaining("step");
    }

    @Test
    void percentileOfTheRunbookShapedAgentIsExactly018() {
        UsageSeries cpu = UsageShapes.agentCpu();
        assertThat(cpu.pointCount()).isEqualTo(2016);
        assertThat(cpu.percentile(0.95)).isEqualTo(0.18);
        assertThat(cpu.mean()).isCloseTo((1897 * 0.12 + 42 * 0.18 + 77 * 0.25) / 2016, within(1e-12));
        assertThat(cpu.max()).isEqualTo(0.25);
    }
}
