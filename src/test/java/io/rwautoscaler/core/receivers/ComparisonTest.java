package io.rwautoscaler.core.receivers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ComparisonTest {

    @ParameterizedTest(name = "{1} {0} {2} is {3}")
    @CsvSource({
            ">,  5001, 5000, true",
            ">,  5000, 5000, false",
            ">,  4999, 5000, false",
            ">=, 5000, 5000, true",
            ">=, 4999, 5000, false",
            "<,  0.29, 0.3,  true",
            "<,  0.3,  0.3,  false",
            "<=, 0.3,  0.3,  true",
            "<=, 0.31, 0.3,  false",
            "==, 0,    0,    true",
            "==, 1,    0,    false",
            "!=, 1,    0,    true",
            "!=, 0,    0,    false",
            "==, -0.0, 0,    true",
    })
    void holds(String symbol, double value, double threshold, boolean expected) {
        assertThat(Comparison.fromSymbol(symbol).orElseThrow().holds(value, threshold)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {">", ">=", "<", "<=", "==", "!="})
    void nanNeverHoldsNotEvenNotEqual(String symbol) {
        Comparison c = Comparison.fromSymbol(symbol).orElseThrow();
        assertThat(c.holds(Double.NaN, 0)).isFalse();
        assertThat(c.holds(1, Double.NaN)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({">, GREATER", " >= , GREATER_OR_EQUAL", "<, LESS", "<=, LESS_OR_EQUAL", "==, EQUAL", "!=, NOT_EQUAL"})
    void parsesPromqlSymbols(String symbol, Comparison expected) {
        assertThat(Comparison.fromSymbol(symbol)).contains(expected);
        assertThat(expected.symbol()).isEqualTo(symbol.trim());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"=", "=>", "=<", "gt", "GREATER", "<>", "> ="})
    void rejectsEverythingElse(String symbol) {
        assertThat(Comparison.fromSymbol(symbol)).isEmpty();
    }

    @Test
    void aboveIsProvenByTheMinimumBelowByTheMaximumEqualityByBoth() {
        assertThat(Comparison.GREATER.proofExtremes()).containsExactly(WindowExtreme.MIN);
        assertThat(Comparison.GREATER_OR_EQUAL.proofExtremes()).containsExactly(WindowExtreme.MIN);
        assertThat(Comparison.LESS.proofExtremes()).containsExactly(WindowExtreme.MAX);
        assertThat(Comparison.LESS_OR_EQUAL.proofExtremes()).containsExactly(WindowExtreme.MAX);
        assertThat(Comparison.EQUAL.proofExtremes()).containsExactly(WindowExtreme.MIN, WindowExtreme.MAX);
        assertThat(Comparison.NOT_EQUAL.proofExtremes()).containsExactly(WindowExtreme.MIN, WindowExtreme.MAX);
    }

    @ParameterizedTest(name = "x {0} {1} and x {2} {3}: {4}")
    @CsvSource({
            // the runbook's hysteresis: disjoint
            ">,  0.8, <,  0.3, false",
            "<,  0.3, >,  0.8, false",
            // a flipped comparison: overlapping
            ">,  0.3, <,  0.8, true",
            // touching thresholds
            ">,  50,  <,  50,  false",
            ">=, 50,  <,  50,  false",
            ">=, 50,  <=, 50,  true",
            ">,  50,  <=, 50,  false",
            "==, 0,   >,  0,   false",
            "==, 0,   >=, 0,   true",
            "==, 0,   ==, 0,   true",
            "==, 0,   ==, 1,   false",
            "!=, 0,   ==, 0,   false",
            "!=, 0,   ==, 1,   true",
            "!=, 0,   !=, 0,   true",
            "!=, 5,   <,  5,   true",
            ">,  10,  >,  20,  true",
            "<,  1E300, >, -1E300, true",
    })
    void canHoldTogether(String a, double ta, String b, double tb, boolean expected) {
        assertThat(Comparison.canHoldTogether(Comparison.fromSymbol(a).orElseThrow(), ta,
                Comparison.fromSymbol(b).orElseThrow(), tb)).isEqualTo(expected);
    }
}
