package io.rwautoscaler.core.model;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration syntax ({@code 30s}, {@code 15m}, {@code 1h30m}, units y w d h m s ms in that
 * order), so a policy's {@code for} reads like an alerting rule's and renders straight into a subquery.
 * The one Duration formatter of the product: reasons, reports, Events and PromQL all spell durations this way,
 * so one 7-day window reads {@code 1w} everywhere (as Prometheus itself prints it).
 */
public final class PromDuration {

    private static final Pattern SYNTAX = Pattern.compile(
            "^(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?$");
    // Same unit lengths as Prometheus: a year is 365 days, a week 7 days.
    private static final long[] UNIT_MILLIS = {
            365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L};
    private static final String[] UNIT_NAMES = {"y", "w", "d", "h", "m", "s", "ms"};

    private PromDuration() {
    }

    /** Empty for anything Prometheus would reject, including negative and empty durations. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        long total = 0;
        try {
            for (int i = 0; i < UNIT_MILLIS.length; i++) {
                String group = m.group(i + 1);
                if (group != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(group), UNIT_MILLIS[i]));
                }
            }
        } catch (ArithmeticException | NumberFormatException overflow) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(total));
    }

    /**
     * {@link #format} of whole seconds, for ages and remaining times that may come out negative or carry
     * sub-second noise: negative is {@code 0s}, {@code 14m59.8s} is {@code 14m59s}.
     */
    public static String formatSeconds(Duration duration) {
        return format(duration.isNegative() ? Duration.ZERO : Duration.ofSeconds(duration.getSeconds()));
    }

    /** The shortest Prometheus spelling: 90 minutes is {@code 1h30m}, zero is {@code 0s}. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Prometheus durations are not negative: " + duration);
        }
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            long count = millis / UNIT_MILLIS[i];
            if (count > 0) {
                out.append(count).append(UNIT_NAMES[i]);
                millis -= count * UNIT_MILLIS[i];
            }
        }
        return out.toString();
    }
}
