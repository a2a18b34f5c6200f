package io.rwautoscaler.core.receivers;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** How a rule's value is compared with its threshold; the symbols are PromQL's comparison operators. */
public enum Comparison {
    GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<="), EQUAL("=="), NOT_EQUAL("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public static Optional<Comparison> fromSymbol(String symbol) {
        if (symbol == null) {
            return Optional.empty();
        }
        String s = symbol.trim();
        for (Comparison c : values()) {
            if (c.symbol.equals(s)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** NaN never satisfies a comparison, not even {@code !=}: it is not a measurement. */
    public boolean holds(double value, double threshold) {
        if (Double.isNaN(value) || Double.isNaN(threshold)) {
            return false;
        }
        return switch (this) {
            case GREATER -> value > threshold;
            case GREATER_OR_EQUAL -> value >= threshold;
            case LESS -> value < threshold;
            case LESS_OR_EQUAL -> value <= threshold;
            case EQUAL -> value == threshold;
            case NOT_EQUAL -> value != threshold;
        };
    }

    /**
     * The window extremes that prove the comparison held at every point: "above" is proven by the
     * minimum, "below" by the maximum, equality and inequality need both.
     */
    public Set<WindowExtreme> proofExtremes() {
        return switch (this) {
            case GREATER, GREATER_OR_EQUAL -> EnumSet.of(WindowExtreme.MIN);
            case LESS, LESS_OR_EQUAL -> EnumSet.of(WindowExtreme.MAX);
            case EQUAL, NOT_EQUAL -> EnumSet.of(WindowExtreme.MIN, WindowExtreme.MAX);
        };
    }

    /**
     * Whether some value satisfies both conditions. Each condition is constant on the atoms the two
     * thresholds cut the line into, so one probe per atom decides it exactly.
     */
    public static boolean canHoldTogether(Comparison a, double thresholdA, Comparison b, double thresholdB) {
        double low = Math.min(thresholdA, thresholdB);
        double high = Math.max(thresholdA, thresholdB);
        double[] probes = {Math.nextDown(low), low, low / 2 + high / 2, high, Math.nextUp(high)};
        for (double x : probes) {
            if (a.holds(x, thresholdA) && b.holds(x, thresholdB)) {
                return true;
            }
        }
        return false;
    }
}
