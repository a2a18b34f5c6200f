package io.rwautoscaler.core.receivers;

/**
 * What one receiver ingests at 100% utilization, and the band it should run in.
 *
 * <p>Default 3,500 samples/s: the runbook's steady state, 8,000 samples/s on 3 receivers, is then 76%
 * (inside 70–80%), and its doubled load, 16,000 samples/s, needs ceil(16000 / (3500 × 0.8)) = 6 receivers
 * at 76% (the runbook expects 5–6). Any capacity from 3,334 to 3,809 keeps 8,000 on 3 receivers inside the
 * band; 3,500 sits in the middle of that range.
 */
public record ReceiverCapacity(double samplesPerSecondPerReceiver, UtilizationBand band) {

    public static final double DEFAULT_SAMPLES_PER_SECOND_PER_RECEIVER = 3500;
    public static final ReceiverCapacity RUNBOOK =
            new ReceiverCapacity(DEFAULT_SAMPLES_PER_SECOND_PER_RECEIVER, UtilizationBand.RUNBOOK);

    // Keeps 16000 / 2800.0000000001 from turning an exact fit into one receiver more.
    private static final double ROUNDING_SLACK = 1e-9;

    public ReceiverCapacity {
        if (!(samplesPerSecondPerReceiver > 0) || !Double.isFinite(samplesPerSecondPerReceiver)) {
            throw new IllegalArgumentException("capacity per receiver must be a positive number, got "
                    + samplesPerSecondPerReceiver);
        }
        if (band == null) {
            throw new IllegalArgumentException("utilization band is required");
        }
    }

    /** ceil(samples/s ÷ (capacity × top of the band)), before replica bounds; 0 for no load. */
    public int receiversFor(double samplesPerSecond) {
        if (!(samplesPerSecond > 0)) {
            return 0;
        }
        double exact = samplesPerSecond / (samplesPerSecondPerReceiver * band.high());
        double needed = Math.ceil(exact - ROUNDING_SLACK);
        return needed >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) needed;
    }

    /** The share of their capacity {@code replicas} receivers would use for this load. */
    public double utilization(double samplesPerSecond, int replicas) {
        if (replicas <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return samplesPerSecond / (replicas * samplesPerSecondPerReceiver);
    }
}
