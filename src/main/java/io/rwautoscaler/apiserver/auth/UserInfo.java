package io.rwautoscaler.apiserver.auth;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Who is asking, as kube-apiserver names users: what a SubjectAccessReview is asked about. */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups);
        // Sorted, so that equal users make equal cache keys.
        extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(extra));
    }
}
