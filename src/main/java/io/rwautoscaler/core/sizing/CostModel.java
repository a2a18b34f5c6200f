package io.rwautoscaler.core.sizing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices for what a pod reserves: per core-hour and per GiB-hour of requests, and/or per pod-hour (the runbook
 * prices receivers at $0.05 per pod-hour). A removed pod saves its pod price and its requests; changed requests
 * save their difference. Unset prices are zero. Months are 730 h (8760 h / 12), as cloud price lists use.
 */
public record CostModel(BigDecimal perCoreHour, BigDecimal perGiBHour, BigDecimal perPodHour) {

    public static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(730);
    private static final BigDecimal GIB = BigDecimal.valueOf(SizingPolicy.GIB);

    public CostModel {
        perCoreHour = perCoreHour == null ? BigDecimal.ZERO : perCoreHour;
        perGiBHour = perGiBHour == null ? BigDecimal.ZERO : perGiBHour;
        perPodHour = perPodHour == null ? BigDecimal.ZERO : perPodHour;
        if (perCoreHour.signum() < 0 || perGiBHour.signum() < 0 || perPodHour.signum() < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    public static CostModel free() {
        return new CostModel(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    public static CostModel perPodHour(String price) {
        return new CostModel(BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal(price));
    }

    public static CostModel perResourceHour(String perCoreHour, String perGiBHour) {
        return new CostModel(new BigDecimal(perCoreHour), new BigDecimal(perGiBHour), BigDecimal.ZERO);
    }

    /** Monthly cost of {@code replicas} pods each requesting the given cores and bytes, not yet rounded to cents. */
    public BigDecimal monthly(int replicas, double coresPerPod, long bytesPerPod) {
        BigDecimal perHour = perPodHour
                // Nano-core precision drops binary noise such as 0.30000000000000004 cores from sums of requests.
                .add(perCoreHour.multiply(BigDecimal.valueOf(coresPerPod).setScale(9, RoundingMode.HALF_UP)))
                .add(perGiBHour.multiply(new BigDecimal(bytesPerPod)).divide(GIB)); // n / 2^30 always terminates
        return perHour.multiply(HOURS_PER_MONTH).multiply(BigDecimal.valueOf(replicas));
    }

    public boolean isFree() {
        return perCoreHour.signum() == 0 && perGiBHour.signum() == 0 && perPodHour.signum() == 0;
    }
}
