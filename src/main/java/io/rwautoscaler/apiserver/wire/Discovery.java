package io.rwautoscaler.apiserver.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** meta/v1 discovery documents: APIResourceList per group version, APIGroup per group. */
public final class Discovery {

    private Discovery() {
    }

    public record APIResourceList(String kind, String apiVersion, String groupVersion, List<APIResource> resources) {
        public static APIResourceList of(String groupVersion, List<APIResource> resources) {
            return new APIResourceList("APIResourceList", "v1", groupVersion, resources);
        }
    }

    /** {@code singularName} has no omitempty upstream, so "" is written. */
    public record APIResource(String name, String singularName, boolean namespaced, String kind, List<String> verbs) {
        public static APIResource get(String name, boolean namespaced, String kind) {
            return new APIResource(name, "", namespaced, kind, List.of("get"));
        }
    }

    public record GroupVersionForDiscovery(String groupVersion, String version) {
    }

    public record APIGroup(String kind, String apiVersion, String name, List<GroupVersionForDiscovery> versions,
                           GroupVersionForDiscovery preferredVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record APIGroupList(String kind, String apiVersion, List<APIGroup> groups) {
    }
}
