package io.rwautoscaler.lab;

import java.util.List;
import java.util.Map;

/**
 * What an HPA controller reads at one sync, as the lab observed it: the target's scale, its pods, their resource
 * usage as metrics-server reports it, and the custom metric values the product serves per pod.
 *
 * @param cpuMilli    pod name → CPU usage in millicores over the last metrics-server window
 * @param memoryMilli pod name → memory in milli-bytes
 * @param podsMetrics metric name → pod name → value (the product's {@code custom.metrics.k8s.io} answer)
 */
public record HpaInputs(double t, int specReplicas, int statusReplicas, List<PodView> pods,
                        Map<String, Sampled> cpuMilli, Map<String, Sampled> memoryMilli,
                        Map<String, Map<String, Sampled>> podsMetrics) {

    /**
     * @param readySince seconds since the scenario start when the pod turned Ready; NaN while not ready
     */
    public record PodView(String name, double createdAt, double readySince, long cpuRequestMilli,
                          long memoryRequestMilli) {
        public boolean ready() {
            return !Double.isNaN(readySince);
        }
    }

    /** A value with the time it was sampled and the window it covers, in seconds. */
    public record Sampled(double value, double timestamp, double windowSeconds) {
    }
}
