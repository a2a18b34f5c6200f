package io.rwautoscaler.core.sizing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Money per month (730 h), in the price's currency, to the cent. {@code saving} = current − proposed, rounded
 * from the exact amounts (so it is the hand calculation's figure, and may differ by a cent from the difference of
 * the two rounded costs); negative when the proposal adds or raises requests.
 */
public record MonthlyCost(BigDecimal current, BigDecimal proposed, BigDecimal saving) {

    public static final MonthlyCost ZERO = of(BigDecimal.ZERO, BigDecimal.ZERO);

    public MonthlyCost {
        current = cents(current);
        proposed = cents(proposed);
        saving = cents(saving);
    }

    /** From exact amounts; each of the three is rounded once. */
    public static MonthlyCost of(BigDecimal current, BigDecimal proposed) {
        return new MonthlyCost(current, proposed, current.subtract(proposed));
    }

    public MonthlyCost plus(MonthlyCost other) {
        return new MonthlyCost(current.add(other.current), proposed.add(other.proposed), saving.add(other.saving));
    }

    private static BigDecimal cents(BigDecimal amount) {
        return Objects.requireNonNull(amount, "amount").setScale(2, RoundingMode.HALF_UP);
    }
}
