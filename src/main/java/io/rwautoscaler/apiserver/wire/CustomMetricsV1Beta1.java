package io.rwautoscaler.apiserver.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** custom.metrics.k8s.io/v1beta1 wire types (k8s.io/metrics pkg/apis/custom_metrics/v1beta1). */
public final class CustomMetricsV1Beta1 {
    public static final String API_VERSION = "custom.metrics.k8s.io/v1beta1";

    private CustomMetricsV1Beta1() {
    }

    public record MetricValueList(String kind, String apiVersion, Map<String, Object> metadata, List<MetricValue> items) {
        public static MetricValueList of(List<MetricValue> items) {
            return new MetricValueList("MetricValueList", API_VERSION, Map.of(), items);
        }
    }

    /** {@code window} is a pointer with omitempty upstream; {@code selector} has no omitempty: null is written. */
    public record MetricValue(ObjectReference describedObject, String metricName, String timestamp,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Long window, String value,
                              @JsonInclude(JsonInclude.Include.ALWAYS) LabelSelectorJson selector) {
    }
}
