package io.rwautoscaler.core.shards;

/**
 * What Prometheus uses for a {@code queue_config} field left out of a remoteWrite entry. Kept in one place so
 * "unset" and "set to the default" compare equal everywhere.
 *
 * <p>Upstream: {@code DefaultQueueConfig} in
 * <a href="https://github.com/prometheus/prometheus/blob/main/config/config.go">prometheus/config/config.go</a>
 * (50 shards × 2000 samples per 100 ms send ≈ 1M samples/s). The batch send deadline (5 s) is not tuned here.
 */
public final class PrometheusQueueDefaults {

    public static final int MIN_SHARDS = 1;
    public static final int MAX_SHARDS = 50;
    public static final int CAPACITY = 10_000;
    public static final int MAX_SAMPLES_PER_SEND = 2_000;

    private PrometheusQueueDefaults() {
    }
}
