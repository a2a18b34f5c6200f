package io.rwautoscaler.core.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Kubernetes {@code resource.Quantity} strings, read and written with BigDecimal so that no value passes
 * through a binary fraction on the way.
 *
 * <p>Grammar (from apimachinery {@code pkg/api/resource/quantity.go}):
 * <pre>
 * quantity ::= [+|-] number [suffix]
 * number   ::= digits | digits "." digits | digits "." | "." digits
 * suffix   ::= Ki | Mi | Gi | Ti | Pi | Ei | n | u | m | k | M | G | T | P | E | (e|E) [+|-] digits
 * </pre>
 */
public final class Quantity {

    private static final BigDecimal NANO = BigDecimal.ONE.movePointLeft(9);
    private static final BigDecimal MAX_INT64 = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;

    private Quantity() {
    }

    /**
     * The canonical DecimalSI string Kubernetes writes for {@code value} kept at milli precision, as
     * {@code NewMilliQuantity(v*1000, DecimalSI)} does: the largest exponent that is a multiple of 3 and
     * leaves an integer mantissa, with suffix m, "", k, M, G, T, P or E (beyond E, upstream writes
     * {@code e21}, {@code e24}, ...).
     *
     * <p>Rounds half away from zero to the nearest milli. The double is read through its shortest decimal
     * form ({@link BigDecimal#valueOf(double)}), so 1.0005 rounds to 1001m as a person would expect.
     *
     * @throws IllegalArgumentException for NaN or an infinity
     */
    public static String formatDecimal(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot format " + value + " as a quantity");
        }
        BigDecimal d = BigDecimal.valueOf(value);
        if (d.scale() > 3) {
            d = d.setScale(3, RoundingMode.HALF_UP);
        }
        if (d.signum() == 0) {
            return "0";
        }
        d = d.stripTrailingZeros();
        int exponent = -d.scale();
        int exponent3 = Math.floorDiv(exponent, 3) * 3;
        BigInteger mantissa = d.unscaledValue().multiply(BigInteger.TEN.pow(exponent - exponent3));
        return mantissa + decimalSuffix(exponent3);
    }

    private static String decimalSuffix(int exponent3) {
        return switch (exponent3) {
            case -9 -> "n";
            case -6 -> "u";
            case -3 -> "m";
            case 0 -> "";
            case 3 -> "k";
            case 6 -> "M";
            case 9 -> "G";
            case 12 -> "T";
            case 15 -> "P";
            case 18 -> "E";
            default -> "e" + exponent3;
        };
    }

    /**
     * The value of any valid quantity string, with upstream's adjustments: a non-zero value finer than 1n
     * is rounded away from zero to a whole nano ("0.1n" is 1n), and a binary-suffixed magnitude above
     * 2^63-1 is capped there ("8Ei"). The result has no trailing zeros ({@code stripTrailingZeros}), so
     * compare with {@code compareTo} and print with {@code toPlainString}.
     *
     * <p>Stricter than upstream's scanner in one way: a number without digits ("-", ".", "Ki", "e3") is
     * rejected, as the grammar says, where upstream reads it as zero.
     *
     * @throws IllegalArgumentException naming the string, if it is not a quantity
     */
    public static BigDecimal parse(String q) {
        if (q == null) {
            throw new IllegalArgumentException("quantity must not be null");
        }
        if (q.isEmpty()) {
            throw new IllegalArgumentException("invalid quantity \"\": empty string");
        }
        int n = q.length();
        int i = 0;
        boolean negative = false;
        if (q.charAt(0) == '+' || q.charAt(0) == '-') {
            negative = q.charAt(0) == '-';
            i++;
        }
        int intStart = i;
        while (i < n && isDigit(q.charAt(i))) {
            i++;
        }
        String intDigits = q.substring(intStart, i);
        String fracDigits = "";
        if (i < n && q.charAt(i) == '.') {
            int fracStart = ++i;
            while (i < n && isDigit(q.charAt(i))) {
                i++;
            }
            fracDigits = q.substring(fracStart, i);
        }
        if (intDigits.isEmpty() && fracDigits.isEmpty()) {
            throw invalid(q, "expected digits");
        }
        BigDecimal number = new BigDecimal(new BigInteger(intDigits + fracDigits), fracDigits.length());
        String suffix = q.substring(i);
        BigDecimal value;
        boolean binary = false;
        try {
            switch (suffix) {
                case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> {
                    binary = true;
                    int power = 10 * (1 + "KMGTPE".indexOf(suffix.charAt(0)));
                    value = new BigDecimal(number.unscaledValue().shiftLeft(power), number.scale());
                }
                case "n" -> value = number.scaleByPowerOfTen(-9);
                case "u" -> value = number.scaleByPowerOfTen(-6);
                case "m" -> value = number.scaleByPowerOfTen(-3);
                case "" -> value = number;
                case "k" -> value = number.scaleByPowerOfTen(3);
                case "M" -> value = number.scaleByPowerOfTen(6);
                case "G" -> value = number.scaleByPowerOfTen(9);
                case "T" -> value = number.scaleByPowerOfTen(12);
                case "P" -> value = number.scaleByPowerOfTen(15);
                case "E" -> value = number.scaleByPowerOfTen(18);
                default -> value = number.scaleByPowerOfTen(decimalExponent(q, suffix));
            }
        } catch (ArithmeticException outOfRange) {
            throw invalid(q, "exponent out of range");
        }
        if (negative) {
            value = value.negate();
        }
        value = roundUpToNano(value);
        if (binary && value.abs().compareTo(MAX_INT64) > 0) {
            value = negative ? MAX_INT64.negate() : MAX_INT64;
        }
        return value.stripTrailingZeros();
    }

    private static int decimalExponent(String q, String suffix) {
        if (suffix.length() < 2 || (suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E')) {
            throw invalid(q, "unknown suffix \"" + suffix + "\"");
        }
        int start = (suffix.charAt(1) == '+' || suffix.charAt(1) == '-') ? 2 : 1;
        if (start == suffix.length()) {
            throw invalid(q, "exponent has no digits");
        }
        for (int i = start; i < suffix.length(); i++) {
            if (!isDigit(suffix.charAt(i))) {
                throw invalid(q, "unknown suffix \"" + suffix + "\"");
            }
        }
        try {
            return Integer.parseInt(suffix.substring(1));
        } catch (NumberFormatException e) {
            throw invalid(q, "exponent out of range");
        }
    }

    // Upstream keeps nothing finer than 1n, rounding away from zero so a tiny request stays non-zero.
    private static BigDecimal roundUpToNano(BigDecimal v) {
        if (v.scale() <= 9 || v.signum() == 0) {
            return v;
        }
        // |v| < 10^(precision - scale): avoids a huge setScale for something like 1e-2000000000
        if ((long) v.precision() - v.scale() <= -9) {
            return v.signum() > 0 ? NANO : NANO.negate();
        }
        return v.setScale(9, RoundingMode.UP);
    }

    /** CPU cores from a quantity: "1000m" is 1.0, "2" is 2.0, "250m" is 0.25. */
    public static double cpuCores(String q) {
        double cores = parse(q).doubleValue();
        if (!Double.isFinite(cores)) {
            throw invalid(q, "too large");
        }
        return cores;
    }

    /**
     * Bytes from a quantity: "2Gi" is 2147483648, "1G" is 1000000000. Like upstream's {@code Value()}, a
     * fraction rounds up, away from zero ("1.5" is 2).
     *
     * @throws IllegalArgumentException if malformed or beyond a long
     */
    public static long bytes(String q) {
        BigDecimal v = parse(q);
        if (v.abs().compareTo(MAX_INT64) > 0) {
            throw invalid(q, "does not fit in 64 bits");
        }
        return v.setScale(0, RoundingMode.UP).longValueExact();
    }

    /**
     * CPU as a person writes it in a manifest: whole cores as "2", otherwise millicores as "250m".
     * Rounds half up to a millicore, so 0.0004 is "0"; apply any floor before calling.
     *
     * @throws IllegalArgumentException for a negative, NaN or infinite value
     */
    public static String formatCpu(double cores) {
        if (!Double.isFinite(cores) || cores < 0) {
            throw new IllegalArgumentException("cannot format " + cores + " as CPU cores");
        }
        BigDecimal millis = BigDecimal.valueOf(cores).movePointRight(3).setScale(0, RoundingMode.HALF_UP);
        BigDecimal[] wholeAndRest = millis.divideAndRemainder(BigDecimal.valueOf(1000));
        return wholeAndRest[1].signum() == 0 ? wholeAndRest[0].toPlainString() : millis.toPlainString() + "m";
    }

    /**
     * Memory as a person writes it: "2Gi" or "300Mi" when exact, otherwise the plain byte count.
     *
     * @throws IllegalArgumentException for a negative value
     */
    public static String formatMemory(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot format " + bytes + " as memory");
        }
        if (bytes != 0 && bytes % GI == 0) {
            return bytes / GI + "Gi";
        }
        if (bytes != 0 && bytes % MI == 0) {
            return bytes / MI + "Mi";
        }
        return Long.toString(bytes);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String q, String why) {
        return new IllegalArgumentException("invalid quantity \"" + q + "\": " + why);
    }
}
