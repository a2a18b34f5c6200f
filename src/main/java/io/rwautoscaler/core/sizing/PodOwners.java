package io.rwautoscaler.core.sizing;

import io.rwautoscaler.core.model.ObjectRef;
import io.rwautoscaler.core.model.ResourceKind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which workload a pod of the usage window belonged to. A week of usage names pods that no longer exist (rolled
 * Deployments, restarted DaemonSet pods), so owners known from the API or kube-state-metrics come first and the
 * controllers' naming schemes second: StatefulSet {@code <name>-<ordinal>}, DaemonSet {@code <name>-<5 chars>},
 * Deployment {@code <name>-<pod-template-hash>-<5 chars>}. The longest matching workload name wins, so
 * {@code thanos-receive-router-0} is not taken for a pod of {@code thanos-receive}.
 */
public final class PodOwners {

    private static final Pattern ORDINAL = Pattern.compile("\\d+");
    private static final Pattern DAEMONSET_SUFFIX = Pattern.compile("[a-z0-9]{5}");
    private static final Pattern DEPLOYMENT_SUFFIX = Pattern.compile("[a-z0-9]{1,10}-[a-z0-9]{5}");

    private final Map<String, List<ObjectRef>> byNamespace = new HashMap<>();
    private final Map<String, ObjectRef> known;

    /**
     * @param workloads the workloads in scope
     * @param known     owners already known, keyed {@code namespace/pod}; owners outside {@code workloads} are ignored
     */
    public PodOwners(Collection<ObjectRef> workloads, Map<String, ObjectRef> known) {
        for (ObjectRef w : workloads) {
            byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
        }
        byNamespace.values().forEach(l -> l.sort(Comparator.comparingInt((ObjectRef w) -> w.name().length()).reversed()));
        Map<String, ObjectRef> inScope = new HashMap<>();
        known.forEach((pod, owner) -> {
            if (byNamespace.getOrDefault(owner.namespace(), List.of()).contains(owner)) {
                inScope.put(pod, owner);
            }
        });
        this.known = inScope;
    }

    public static String key(String namespace, String pod) {
        return namespace + "/" + pod;
    }

    public Optional<ObjectRef> ownerOf(String namespace, String pod) {
        ObjectRef owner = known.get(key(namespace, pod));
        if (owner != null) {
            return Optional.of(owner);
        }
        for (ObjectRef w : byNamespace.getOrDefault(namespace, List.of())) {
            if (pod.length() > w.name().length() + 1 && pod.startsWith(w.name()) && pod.charAt(w.name().length()) == '-'
                    && suffixFits(w.kind(), pod.substring(w.name().length() + 1))) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    private static boolean suffixFits(ResourceKind kind, String suffix) {
        if (kind.equals(ResourceKind.STATEFULSETS)) {
            return ORDINAL.matcher(suffix).matches();
        }
        if (kind.equals(ResourceKind.DAEMONSETS)) {
            return DAEMONSET_SUFFIX.matcher(suffix).matches();
        }
        return kind.equals(ResourceKind.DEPLOYMENTS) && DEPLOYMENT_SUFFIX.matcher(suffix).matches();
    }
}
