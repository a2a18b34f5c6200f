package io.rwautoscaler.core.shards;

import java.math.BigDecimal;
import java.time.Duration;

/** How reasons print numbers: as a person would write them in a runbook ("17m", "0.05", "85%"). */
final class Figures {

    private Figures() {
    }

    /** At most two decimals, no trailing zeros, never scientific notation. */
    static String num(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        double rounded = Math.round(value * 100.0) / 100.0;
        if (rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15) {
            return Long.toString((long) rounded);
        }
        return BigDecimal.valueOf(rounded).stripTrailingZeros().toPlainString();
    }

    static String percent(double fraction) {
        return num(fraction * 100.0) + "%";
    }

    static String seconds(double value) {
        return num(value) + "s";
    }

    /** {@code 1h30m}, {@code 14m59s}, {@code 0s}; sub-second parts are dropped. */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        StringBuilder b = new StringBuilder(8);
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (sec > 0 || b.length() == 0) {
            b.append(sec).append('s');
        }
        return b.toString();
    }
}
