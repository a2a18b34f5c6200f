package io.rwautoscaler.apiserver;

import io.rwautoscaler.apiserver.delegation.Delegation;
import io.rwautoscaler.apiserver.wire.Discovery;
import io.rwautoscaler.apiserver.wire.ExternalMetricsV1Beta1;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.model.MetricKind;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** external.metrics.k8s.io/v1beta1: {@code namespaces/{ns}/{metric}?labelSelector=} over series labels. */
@Path("/apis/external.metrics.k8s.io")
@Produces(MediaType.APPLICATION_JSON)
@NonBlocking
public class ExternalMetricsResource {

    static final String GROUP = "external.metrics.k8s.io";

    @Inject
    MetricsApi api;

    @Inject
    MetricRuleSet rules;

    @Inject
    Delegation delegation;

    @GET
    public Discovery.APIGroup group() {
        var v1beta1 = new Discovery.GroupVersionForDiscovery(GROUP + "/v1beta1", "v1beta1");
        return new Discovery.APIGroup("APIGroup", "v1", GROUP, List.of(v1beta1), v1beta1);
    }

    @GET
    @Path("{version}")
    public Discovery.APIResourceList discovery(@PathParam("version") String version) {
        checkVersion(version);
        return Discovery.APIResourceList.of(GROUP + "/v1beta1", delegation.merge(GROUP, "v1beta1", rules.rules().stream()
                .filter(r -> r.servedAs(MetricKind.EXTERNAL))
                .map(MetricRule::name).sorted()
                .map(n -> Discovery.APIResource.get(n, true, "ExternalMetricValueList"))
                .toList()));
    }

    @GET
    @Path("{version}/{path: .+}")
    public ExternalMetricsV1Beta1.ExternalMetricValueList values(@PathParam("version") String version,
                                                                 @PathParam("path") String path,
                                                                 @QueryParam("labelSelector") String labelSelector) {
        checkVersion(version);
        String[] seg = path.split("/", -1);
        if (seg.length != 3 || !"namespaces".equals(seg[0])) {
            throw LookupException.badRequest("malformed path '" + path + "': expected namespaces/{namespace}/{metric}");
        }
        String ns = MetricPaths.namespace(seg[1]);
        String metric = MetricPaths.metric(seg[2]);
        var selector = MetricPaths.selector("labelSelector", labelSelector);
        return ExternalMetricsV1Beta1.ExternalMetricValueList.of(
                api.snapshot().external(ns, metric, selector, api.now(), api.maxStaleness).stream()
                        .map(v -> new ExternalMetricsV1Beta1.ExternalMetricValue(metric, v.labels(), MetricsApi.time(v.timestamp()),
                                v.window().toSeconds(), Quantity.formatDecimal(v.value())))
                        .toList());
    }

    private static void checkVersion(String version) {
        if (!version.equals("v1beta1")) {
            throw LookupException.notFound("the server could not find the requested resource: " + GROUP + "/" + version
                    + " is not served (v1beta1 is)");
        }
    }
}
