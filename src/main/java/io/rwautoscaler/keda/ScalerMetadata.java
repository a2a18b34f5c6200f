package io.rwautoscaler.keda;

import io.rwautoscaler.core.metrics.LabelSelector;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A ScaledObject trigger's {@code metadata}, as KEDA passes it in {@code scalerMetadata}. Every key is optional:
 * without any, the trigger is the runbook's (the agents' total queue, target 3,000 per replica).
 *
 * @param labelSelector series labels that count; absent = the agents feeding the receivers
 *                      ({@code autoscaler.receivers.agent-selector}), as the runbook's HPA counts them
 */
record ScalerMetadata(String metricName, LabelSelector labelSelector, double targetValue, double activationValue) {

    static final String DEFAULT_METRIC = "prometheus_remote_storage_queue_length";
    static final double DEFAULT_TARGET = 3000;
    private static final Set<String> OURS = Set.of("metricName", "labelSelector", "targetValue", "activationValue");
    /** Keys KEDA itself puts in every external trigger's metadata (connection settings), not meant for us. */
    private static final Set<String> KEDAS = Set.of("scalerAddress", "enableTLS", "unsafeSsl");

    /**
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    static ScalerMetadata parse(Map<String, String> metadata, LabelSelector defaultSelector) {
        Set<String> unknown = new TreeSet<>(metadata.keySet());
        unknown.removeAll(OURS);
        unknown.removeAll(KEDAS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown scalerMetadata key(s) " + unknown + ": this scaler reads " + new TreeSet<>(OURS));
        }
        String metric = metadata.getOrDefault("metricName", DEFAULT_METRIC).trim();
        if (metric.isEmpty()) {
            throw new IllegalArgumentException("scalerMetadata metricName is empty");
        }
        LabelSelector selector = defaultSelector;
        if (metadata.containsKey("labelSelector")) {
            try {
                selector = LabelSelector.parse(metadata.get("labelSelector"));
            } catch (LabelSelector.InvalidSelectorException e) {
                throw new IllegalArgumentException("scalerMetadata labelSelector '" + metadata.get("labelSelector") + "' is invalid: "
                        + e.getMessage());
            }
        }
        double target = number(metadata, "targetValue", DEFAULT_TARGET);
        if (!(target > 0)) {
            throw new IllegalArgumentException("scalerMetadata targetValue must be above 0, got " + metadata.get("targetValue"));
        }
        double activation = number(metadata, "activationValue", 0);
        if (activation < 0) {
            throw new IllegalArgumentException("scalerMetadata activationValue must not be negative, got " + metadata.get("activationValue"));
        }
        return new ScalerMetadata(metric, selector, target, activation);
    }

    private static double number(Map<String, String> metadata, String key, double dflt) {
        String raw = metadata.get(key);
        if (raw == null) {
            return dflt;
        }
        try {
            double v = Double.parseDouble(raw.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("scalerMetadata " + key + " must be a number, got '" + raw + "'");
        }
    }
}
