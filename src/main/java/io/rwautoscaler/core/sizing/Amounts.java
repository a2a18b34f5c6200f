package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.Figures;
import io.rwautoscaler.core.model.PromDuration;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Human text for reason strings only ("0.198", "200m", "304Mi", "-60%"). Kubernetes quantity strings for
 * manifests and the API are made at the edges from the numbers, not from this text.
 */
final class Amounts {

    private Amounts() {
    }

    /** A plain number with at most {@code decimals} places, no trailing zeros, no exponent: 0.198, 1.1, 2. */
    static String number(double value, int decimals) {
        return Figures.decimals(value, decimals);
    }

    /** A usage statistic or a product in cores: "0.18", "0.198". */
    static String cores(double cores) {
        return number(cores, 3);
    }

    /** A request in millicores: "200m", "4000m". */
    static String millicores(double cores) {
        return number(cores * 1000, 1) + "m";
    }

    /** Whole gibibytes as "1Gi", anything else in mebibytes with at most one decimal: "304Mi", "299Mi", "1088Mi". */
    static String bytes(double bytes) {
        if (bytes >= SizingPolicy.GIB && bytes % SizingPolicy.GIB == 0) {
            return number(bytes / SizingPolicy.GIB, 0) + "Gi";
        }
        return number(bytes / SizingPolicy.MIB, 1) + "Mi";
    }

    /** A usage statistic or a product in the resource's unit. */
    static String usage(SizedResource resource, double amount) {
        return resource == SizedResource.CPU ? cores(amount) + " cores" : bytes(amount);
    }

    /** A request or limit in the resource's unit. */
    static String quantity(SizedResource resource, double amount) {
        return resource == SizedResource.CPU ? millicores(amount) : bytes(amount);
    }

    /** A fraction as a percentage: 0.35 → "35%". */
    static String percent(double fraction) {
        return Figures.percent(fraction, 1);
    }

    /** A change as a signed percentage: −0.6 → "-60%", 0.25 → "+25%". */
    static String signedPercent(double fraction) {
        return (fraction > 0 ? "+" : "") + percent(fraction);
    }

    /** "p95" for 0.95, "p99.5" for 0.995. */
    static String quantileName(double q) {
        return "p" + number(q * 100, 2);
    }

    /** "1w", "1d", "20h30m", "45m", "30s": whole minutes once there is a minute, the one Prometheus spelling. */
    static String duration(Duration d) {
        return PromDuration.formatSeconds(d.toMinutes() == 0 ? d : d.truncatedTo(ChronoUnit.MINUTES));
    }
}
