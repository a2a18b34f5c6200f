package io.rwautoscaler.core.receivers;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Numbers as people and PromQL read them: {@code 5000}, not {@code 5000.0}. */
final class Figures {

    private Figures() {
    }

    /** Exact, for PromQL literals: the rendered threshold must be the configured one. */
    static String promql(double value) {
        double abs = Math.abs(value);
        if (value == 0 || (abs >= 1e-6 && abs < 1e15)) {
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
        return Double.toString(value);
    }

    /** Rounded for reasons and reports: whole numbers stay whole, fractions keep 4 significant digits. */
    static String readable(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        BigDecimal rounded = Math.abs(value) >= 1000
                ? BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP)
                : BigDecimal.valueOf(value).round(new MathContext(4, RoundingMode.HALF_UP));
        return rounded.stripTrailingZeros().toPlainString();
    }

    static String percent(double ratio) {
        return Math.round(ratio * 100) + "%";
    }
}
