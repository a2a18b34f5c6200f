package io.rwautoscaler.apiserver.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** external.metrics.k8s.io/v1beta1 wire types (k8s.io/metrics pkg/apis/external_metrics/v1beta1). */
public final class ExternalMetricsV1Beta1 {
    public static final String API_VERSION = "external.metrics.k8s.io/v1beta1";

    private ExternalMetricsV1Beta1() {
    }

    public record ExternalMetricValueList(String kind, String apiVersion, Map<String, Object> metadata,
                                          List<ExternalMetricValue> items) {
        public static ExternalMetricValueList of(List<ExternalMetricValue> items) {
            return new ExternalMetricValueList("ExternalMetricValueList", API_VERSION, Map.of(), items);
        }
    }

    public record ExternalMetricValue(String metricName, Map<String, String> metricLabels, String timestamp,
                                      @JsonInclude(JsonInclude.Include.NON_NULL) Long window, String value) {
    }
}
