package io.rwautoscaler.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rwautoscaler.config.ClusterConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * With {@code autoscaler.cluster} set, every report under {@code /api/v1/} names its cluster:
 * {@code "cluster": "cluster-03"} right after {@code kind} and {@code apiVersion}, unless the report names one itself.
 * One place for every report, so a new one is stamped too; without a cluster name the reports are exactly what
 * their resources return.
 */
public class ClusterStamp {

    // Filters are created while REST is set up, before runtime configuration exists: look the mapping up per request.
    @Inject
    Instance<ClusterConfig> config;
    @Inject
    ObjectMapper json;

    @ServerResponseFilter
    public void stamp(ContainerRequestContext request, ContainerResponseContext response) {
        Optional<String> cluster = config.get().cluster().filter(c -> !c.isBlank());
        if (cluster.isEmpty() || !request.getUriInfo().getPath().startsWith("/api/v1/")
                || response.getStatus() / 100 != 2 || response.getEntity() == null) {
            return;
        }
        JsonNode tree = json.valueToTree(response.getEntity());
        // A report that names its cluster itself (right-sizing's autoscaler.rightsizing.cluster) keeps its own.
        if (tree instanceof ObjectNode report && !report.hasNonNull("cluster")) {
            response.setEntity(withCluster(report, cluster.get()));
        }
    }

    static ObjectNode withCluster(ObjectNode report, String cluster) {
        ObjectNode out = report.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = report.fields(); it.hasNext(); ) {
            var e = it.next();
            out.set(e.getKey(), e.getValue());
            if (e.getKey().equals("apiVersion") || (e.getKey().equals("kind") && !report.has("apiVersion"))) {
                out.put("cluster", cluster);
            }
        }
        if (!out.has("cluster")) {
            ObjectNode first = report.objectNode().put("cluster", cluster);
            first.setAll(out);
            return first;
        }
        return out;
    }
}
