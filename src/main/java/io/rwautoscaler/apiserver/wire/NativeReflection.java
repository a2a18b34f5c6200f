package io.rwautoscaler.apiserver.wire;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Keeps the wire records' accessors in the native image. Resources that return {@code Object} (custom metrics
 * answer v1beta1 or v1beta2) and the Status written by the request gate are invisible to Quarkus' automatic
 * registration, so every wire type is listed here once.
 */
@RegisterForReflection(targets = {
        CustomMetricsV1Beta1.MetricValueList.class, CustomMetricsV1Beta1.MetricValue.class,
        CustomMetricsV1Beta2.MetricValueList.class, CustomMetricsV1Beta2.MetricValue.class,
        CustomMetricsV1Beta2.MetricIdentifier.class,
        Discovery.APIResourceList.class, Discovery.APIResource.class, Discovery.GroupVersionForDiscovery.class,
        Discovery.APIGroup.class, Discovery.APIGroupList.class,
        ExternalMetricsV1Beta1.ExternalMetricValueList.class, ExternalMetricsV1Beta1.ExternalMetricValue.class,
        LabelSelectorJson.class, LabelSelectorJson.Requirement.class,
        ObjectReference.class,
        Status.class, Status.Details.class
})
public final class NativeReflection {
    private NativeReflection() {
    }
}
