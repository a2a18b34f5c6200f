package io.rwautoscaler.apiserver.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a SubjectAccessReview asks about one request, derived from method and path by the rules of
 * k8s.io/apiserver's RequestInfoFactory (the ones custom-metrics-apiserver runs under), with {@code /apis} as
 * the only API prefix: {@code /apis/{group}/{version}/namespaces/{ns}/{resource}/{name}/{subresource}}.
 * <p>
 * So {@code .../namespaces/monitoring/pods/*&#47;queue_length} is verb get, resource pods, name *, subresource
 * queue_length; an external metric {@code .../namespaces/monitoring/queue_length} is verb list, resource
 * queue_length; discovery ({@code /apis/custom.metrics.k8s.io/v1beta1}) and the report API ({@code /api/v1/...})
 * are non-resource requests (path and lowercase method).
 */
public record RequestAttributes(boolean resourceRequest, String verb, String path, String group, String version,
                                String namespace, String resource, String subresource, String name) {

    /** Namespace subresources that stay with the namespace rather than naming a resource inside it. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    public static RequestAttributes of(String method, String path, boolean watchParam) {
        String m = method.toLowerCase(Locale.ROOT);
        List<String> parts = split(path);
        RequestAttributes nonResource = new RequestAttributes(false, m, path, "", "", "", "", "", "");
        // /apis/{group}/{version} and shorter are discovery: non-resource.
        if (parts.size() < 4 || !parts.get(0).equals("apis")) {
            return nonResource;
        }
        String group = parts.get(1);
        String version = parts.get(2);
        List<String> rest = parts.subList(3, parts.size());
        String verb = switch (method.toUpperCase(Locale.ROOT)) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> m;
        };
        String namespace = "";
        if (rest.get(0).equals("namespaces") && rest.size() > 1) {
            namespace = rest.get(1);
            if (rest.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
                rest = rest.subList(2, rest.size());
            }
        }
        String resource = rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : "";
        String subresource = rest.size() >= 3 ? rest.get(2) : "";
        if (name.isEmpty() && verb.equals("get")) {
            verb = watchParam ? "watch" : "list";
        } else if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new RequestAttributes(true, verb, path, group, version, namespace, resource, subresource, name);
    }

    /** Segments of a path, percent-decoded one by one ({@code %2A} is {@code *}; {@code +} stays a plus). */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(decode(s));
            }
        }
        return out;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        var out = new java.io.ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The attributes a review is about: the path matters only to non-resource requests. */
    public RequestAttributes forReview() {
        return resourceRequest ? new RequestAttributes(true, verb, "", group, version, namespace, resource, subresource, name) : this;
    }

    /** "get resource pods/queue_length in namespace monitoring" or "get path /apis/...": for 403 messages and logs. */
    public String describe() {
        if (!resourceRequest) {
            return verb + " path \"" + path + "\"";
        }
        String r = subresource.isEmpty() ? resource : resource + "/" + subresource;
        return verb + " resource \"" + r + "\" in API group \"" + group + "\""
                + (namespace.isEmpty() ? "" : " in the namespace \"" + namespace + "\"");
    }
}
