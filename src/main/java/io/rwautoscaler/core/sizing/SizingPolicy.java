package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How requests are derived from usage. The defaults ({@link #defaults()}) and why:
 * <ul>
 *   <li>CPU from the p95 of the 5 m rate, ×1.1: a high percentile rather than the runbook's mean, so the
 *       request covers the busy hours and the container is not throttled; 10 % headroom on top.</li>
 *   <li>Memory from the maximum working set, ×1.15: memory is not compressible, a request below a peak risks
 *       eviction, and the limit risks an OOM kill; 15 % headroom for growth between evaluations.</li>
 *   <li>Rounded up to steps ({@link Rounding#DEFAULT}) so that recommendations do not churn by a few millicores
 *       or bytes each hour, and read like values people write.</li>
 *   <li>Floors 10m and 64Mi: below these a container cannot start reliably, whatever an idle week says.</li>
 *   <li>Memory limit at least 1.2 × the recommended memory request: room between the two so that the peak the
 *       request was sized for cannot reach the limit (OOM safety).</li>
 *   <li>Flag only changes of more than 20 %: smaller ones cost a rollout for little gain.</li>
 *   <li>Window 7 d, so a week's daily and weekly cycle is in the data; at least 24 h observed (gaps excluded), so one
 *       day's cycle is.</li>
 * </ul>
 * For the runbook's agent: p95 0.18 cores × 1.1 = 0.198 → 200m; a maximum working set of 260Mi × 1.15 = 299Mi →
 * 304Mi (about the runbook's 300Mi, which came from a mean of 280Mi; a max of 280Mi gives 322Mi → 336Mi).
 *
 * @param cpuPercentile    quantile of CPU usage that sizes the CPU request, in (0, 1]
 * @param bounds           per-workload (or per-container) min/max; the first matching container-specific entry
 *                         wins over a workload-wide one
 * @param changeThreshold  flag when |recommended − current| / current is above this fraction
 */
public record SizingPolicy(double cpuPercentile, double cpuBuffer, double memoryBuffer, Rounding rounding,
                           double cpuFloorCores, long memoryFloorBytes, List<ResourceBounds> bounds,
                           double memoryLimitRatio, double changeThreshold, Duration window, Duration minData) {

    public static final long MIB = 1L << 20;
    public static final long GIB = 1L << 30;

    /**
     * Steps requests are rounded up to: CPU in 10m below one core and 50m from one core on; memory in 16Mi below
     * 1Gi and 64Mi from 1Gi on. Coarser above the knee since a few millicores or mebibytes are noise there.
     */
    public record Rounding(long cpuMillisBelowCore, long cpuMillisFromCore, long memoryBytesBelowGi,
                           long memoryBytesFromGi) {

        public static final Rounding DEFAULT = new Rounding(10, 50, 16 * MIB, 64 * MIB);

        public Rounding {
            if (cpuMillisBelowCore <= 0 || cpuMillisFromCore <= 0 || memoryBytesBelowGi <= 0 || memoryBytesFromGi <= 0) {
                throw new IllegalArgumentException("rounding steps must be positive");
            }
        }

        /** Cores rounded up to the CPU step, computed in whole millicores. */
        public double roundUpCpu(double cores) {
            long millis = ceilTolerant(cores * 1000);
            long step = millis < 1000 ? cpuMillisBelowCore : cpuMillisFromCore;
            return ceilToStep(millis, step) / 1000.0;
        }

        /** Bytes rounded up to the memory step. */
        public long roundUpMemory(double bytes) {
            long whole = ceilTolerant(bytes);
            return ceilToStep(whole, whole < GIB ? memoryBytesBelowGi : memoryBytesFromGi);
        }

        public double roundUp(SizedResource resource, double amount) {
            return resource == SizedResource.CPU ? roundUpCpu(amount) : roundUpMemory(amount);
        }

        /** Ceil that ignores binary floating-point noise: 0.18 × 1.1 × 1000 = 198.00000000000003 is 198, not 199. */
        private static long ceilTolerant(double x) {
            return (long) Math.ceil(x * (1 - 1e-12));
        }

        private static long ceilToStep(long value, long step) {
            return Math.floorDiv(value + step - 1, step) * step;
        }
    }

    public SizingPolicy {
        if (!(cpuPercentile > 0 && cpuPercentile <= 1)) {
            throw new IllegalArgumentException("cpuPercentile must be within (0, 1], got " + cpuPercentile);
        }
        if (!(cpuBuffer > 0) || !(memoryBuffer > 0)) {
            throw new IllegalArgumentException("buffers must be positive");
        }
        Objects.requireNonNull(rounding, "rounding");
        if (!(cpuFloorCores >= 0) || memoryFloorBytes < 0) {
            throw new IllegalArgumentException("floors must not be negative");
        }
        bounds = List.copyOf(bounds);
        if (!(memoryLimitRatio >= 1)) {
            throw new IllegalArgumentException("memoryLimitRatio must be at least 1, got " + memoryLimitRatio);
        }
        if (!(changeThreshold >= 0)) {
            throw new IllegalArgumentException("changeThreshold must not be negative, got " + changeThreshold);
        }
        if (window.isNegative() || window.isZero() || minData.isNegative() || minData.compareTo(window) > 0) {
            throw new IllegalArgumentException("need 0 ≤ minData ≤ window, got " + minData + " and " + window);
        }
    }

    public static SizingPolicy defaults() {
        return new SizingPolicy(0.95, 1.1, 1.15, Rounding.DEFAULT, 0.010, 64 * MIB, List.of(),
                1.2, 0.20, Duration.ofDays(7), Duration.ofHours(24));
    }

    public SizingPolicy withBounds(ResourceBounds... more) {
        List<ResourceBounds> all = new ArrayList<>(bounds);
        all.addAll(List.of(more));
        return new SizingPolicy(cpuPercentile, cpuBuffer, memoryBuffer, rounding, cpuFloorCores, memoryFloorBytes,
                all, memoryLimitRatio, changeThreshold, window, minData);
    }

    public SizingPolicy withChangeThreshold(double threshold) {
        return new SizingPolicy(cpuPercentile, cpuBuffer, memoryBuffer, rounding, cpuFloorCores, memoryFloorBytes,
                bounds, memoryLimitRatio, threshold, window, minData);
    }

    public SizingPolicy withWindow(Duration window, Duration minData) {
        return new SizingPolicy(cpuPercentile, cpuBuffer, memoryBuffer, rounding, cpuFloorCores, memoryFloorBytes,
                bounds, memoryLimitRatio, changeThreshold, window, minData);
    }

    /** The bounds for a container: a container-specific entry over a workload-wide one. */
    public Optional<ResourceBounds> boundsFor(ObjectRef workload, String container) {
        ResourceBounds wide = null;
        for (ResourceBounds b : bounds) {
            if (b.appliesTo(workload, container)) {
                if (!b.container().equals(ResourceBounds.ALL_CONTAINERS)) {
                    return Optional.of(b);
                }
                wide = wide == null ? b : wide;
            }
        }
        return Optional.ofNullable(wide);
    }

    public double buffer(SizedResource resource) {
        return resource == SizedResource.CPU ? cpuBuffer : memoryBuffer;
    }

    public double floor(SizedResource resource) {
        return resource == SizedResource.CPU ? cpuFloorCores : memoryFloorBytes;
    }
}
