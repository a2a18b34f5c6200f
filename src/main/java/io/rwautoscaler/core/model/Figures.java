package io.rwautoscaler.core.model;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * How every reason, report and Event prints a number: the one figures type. Each rendering is named for what
 * it is for, so a capability picks one instead of writing its own: {@code 5000}, not {@code 5000.0}; never an
 * exponent; durations through {@link PromDuration}.
 */
public final class Figures {

    private Figures() {
    }

    /** A plain number with at most {@code places} decimals (half up), no trailing zeros, no exponent: 0.198, 1.1, 2. */
    public static String decimals(double value, int places) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal d = BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    /** At most two decimals: how the shard tuner's reasons read ("17", "0.05", "41.67"). */
    public static String num(double value) {
        return decimals(value, 2);
    }

    /** A fraction as a percentage with at most {@code places} decimals: 0.35 → "35%". */
    public static String percent(double fraction, int places) {
        return decimals(fraction * 100, places) + "%";
    }

    /** A number of seconds with at most two decimals: "300s", "1.5s". */
    public static String seconds(double value) {
        return num(value) + "s";
    }

    /** A duration, whole seconds, the Prometheus spelling: {@code 1h30m}, {@code 14m59s}, {@code 1w}. */
    public static String duration(Duration d) {
        return PromDuration.formatSeconds(d);
    }

    /** Exact, for PromQL literals: the rendered threshold must be the configured one. */
    public static String promql(double value) {
        double abs = Math.abs(value);
        if (value == 0 || (abs >= 1e-6 && abs < 1e15)) {
            return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        }
        return Double.toString(value);
    }

    /** Rounded for the receiver policy's reasons: whole numbers stay whole, fractions keep 4 significant digits. */
    public static String readable(double value) {
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
}
