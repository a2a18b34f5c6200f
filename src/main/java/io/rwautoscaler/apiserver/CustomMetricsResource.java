package io.rwautoscaler.apiserver;

import io.rwautoscaler.apiserver.delegation.Delegation;
import io.rwautoscaler.apiserver.wire.CustomMetricsV1Beta1;
import io.rwautoscaler.apiserver.wire.CustomMetricsV1Beta2;
import io.rwautoscaler.apiserver.wire.Discovery;
import io.rwautoscaler.apiserver.wire.LabelSelectorJson;
import io.rwautoscaler.apiserver.wire.ObjectReference;
import io.rwautoscaler.core.metrics.CustomMetricQuery;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.metrics.ObjectValue;
import io.rwautoscaler.core.model.MetricKind;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.core.model.ResourceKind;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** custom.metrics.k8s.io, v1beta1 and v1beta2: same lookups, two wire shapes. */
@Path("/apis/custom.metrics.k8s.io")
@Produces(MediaType.APPLICATION_JSON)
@NonBlocking
public class CustomMetricsResource {

    static final String GROUP = "custom.metrics.k8s.io";
    private static final List<ResourceKind> DISCOVERED = List.of(ResourceKind.PODS, ResourceKind.SERVICES, ResourceKind.NAMESPACES);

    @Inject
    MetricsApi api;

    @Inject
    MetricRuleSet rules;

    @Inject
    Delegation delegation;

    @GET
    public Discovery.APIGroup group() {
        var v1beta2 = new Discovery.GroupVersionForDiscovery(GROUP + "/v1beta2", "v1beta2");
        var v1beta1 = new Discovery.GroupVersionForDiscovery(GROUP + "/v1beta1", "v1beta1");
        return new Discovery.APIGroup("APIGroup", "v1", GROUP, List.of(v1beta2, v1beta1), v1beta2);
    }

    /** Built from configuration, not from data: never empty, so kube-apiserver keeps the APIService available. */
    @GET
    @Path("{version}")
    public Discovery.APIResourceList discovery(@PathParam("version") String version) {
        checkVersion(version);
        List<Discovery.APIResource> resources = new ArrayList<>();
        for (MetricRule rule : rules.rules()) {
            if (!rule.servedAs(MetricKind.CUSTOM)) {
                continue;
            }
            for (ResourceKind kind : DISCOVERED) {
                resources.add(Discovery.APIResource.get(kind.qualifiedResource() + "/" + rule.name(), kind.namespaced(), "MetricValueList"));
            }
        }
        resources.sort(Comparator.comparing(Discovery.APIResource::name));
        return Discovery.APIResourceList.of(GROUP + "/" + version, delegation.merge(GROUP, version, resources));
    }

    @GET
    @Path("{version}/{path: .+}")
    public Object values(@PathParam("version") String version, @PathParam("path") String path,
                         @QueryParam("labelSelector") String labelSelector,
                         @QueryParam("metricLabelSelector") String metricLabelSelector) {
        checkVersion(version);
        CustomMetricQuery q = MetricPaths.custom(path, labelSelector, metricLabelSelector);
        List<ObjectValue> values = api.snapshot().custom(q, api.feed, api.now(), api.maxStaleness);
        LabelSelectorJson selector = LabelSelectorJson.of(q.metricSelector());
        if (version.equals("v1beta1")) {
            return CustomMetricsV1Beta1.MetricValueList.of(values.stream().map(v -> new CustomMetricsV1Beta1.MetricValue(
                    reference(v), q.metric(), MetricsApi.time(v.timestamp()), v.window().toSeconds(),
                    Quantity.formatDecimal(v.value()), selector)).toList());
        }
        return CustomMetricsV1Beta2.MetricValueList.of(values.stream().map(v -> new CustomMetricsV1Beta2.MetricValue(
                reference(v), new CustomMetricsV1Beta2.MetricIdentifier(q.metric(), selector),
                MetricsApi.time(v.timestamp()), v.window().toSeconds(), Quantity.formatDecimal(v.value()))).toList());
    }

    private static ObjectReference reference(ObjectValue v) {
        return new ObjectReference(v.object().kind().kind(), v.object().namespace(), v.object().name(), v.object().kind().apiVersion());
    }

    private static void checkVersion(String version) {
        if (!version.equals("v1beta1") && !version.equals("v1beta2")) {
            throw LookupException.notFound("the server could not find the requested resource: " + GROUP + "/" + version
                    + " is not served (v1beta1, v1beta2 are)");
        }
    }
}
