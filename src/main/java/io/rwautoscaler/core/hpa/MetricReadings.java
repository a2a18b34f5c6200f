package io.rwautoscaler.core.hpa;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics client the controller reads from during one sync (upstream's {@code MetricsClient}): implemented
 * by the caller, over simulated figures in the lab or over Prometheus history in the replay. Each method throws
 * {@link MetricUnavailableException} when the metric cannot be read; the controller then treats that metric as
 * invalid, as upstream does.
 */
public interface MetricReadings {

    /**
     * Resource usage per pod of the target, in milli-units (cpu in millicores, memory in milli-bytes, as
     * {@code MilliValue()} gives them): the whole pod's sum, or one container's when {@code container} is present.
     * Pods the metrics API has no sample for are simply absent.
     */
    Map<String, PodMetric> resource(String resource, Optional<String> container);

    /** A custom metric per pod of the target ({@code type: Pods}), in milli-units. */
    Map<String, PodMetric> pods(String metricName, Optional<MetricSelector> selector);

    /** A custom metric of one object ({@code type: Object}), in milli-units. */
    long object(ObjectReference describedObject, String metricName, Optional<MetricSelector> selector);

    /** An external metric's values, one per matching series, in milli-units; the controller sums them. */
    List<Long> external(String metricName, Optional<MetricSelector> selector);
}
