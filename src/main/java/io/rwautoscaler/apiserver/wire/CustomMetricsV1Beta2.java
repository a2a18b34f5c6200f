package io.rwautoscaler.apiserver.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * custom.metrics.k8s.io/v1beta2 wire types (k8s.io/metrics pkg/apis/custom_metrics/v1beta2): the name and
 * selector move into {@code metric}, and the window is {@code windowSeconds}.
 */
public final class CustomMetricsV1Beta2 {
    public static final String API_VERSION = "custom.metrics.k8s.io/v1beta2";

    private CustomMetricsV1Beta2() {
    }

    public record MetricValueList(String kind, String apiVersion, Map<String, Object> metadata, List<MetricValue> items) {
        public static MetricValueList of(List<MetricValue> items) {
            return new MetricValueList("MetricValueList", API_VERSION, Map.of(), items);
        }
    }

    public record MetricValue(ObjectReference describedObject, MetricIdentifier metric, String timestamp,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Long windowSeconds, String value) {
    }

    public record MetricIdentifier(String name, @JsonInclude(JsonInclude.Include.ALWAYS) LabelSelectorJson selector) {
    }
}
