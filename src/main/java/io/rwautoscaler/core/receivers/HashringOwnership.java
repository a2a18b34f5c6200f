package io.rwautoscaler.core.receivers;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who else manages the hashring ConfigMap, read from its {@code app.kubernetes.io/managed-by} label and from the
 * field managers ({@code metadata.managedFields}) that own its hashring key. Another controller (the
 * thanos-receive-controller, a GitOps tool, Helm) would write the ConfigMap back after us, so the two would fight
 * over the receivers' hashring: we leave it alone unless told to take it over.
 *
 * <p>People are not controllers: a key last written with kubectl ({@code kubectl}, {@code kubectl-edit},
 * {@code kubectl-client-side-apply}, …) counts as a hand edit, which is overwritten with a Warning Event as before.
 *
 * @param managedByLabel the ConfigMap's {@code app.kubernetes.io/managed-by} label, when set
 * @param keyManagers    the field managers whose managedFields entry owns {@code data.<key>}, in their order there
 */
public record HashringOwnership(Optional<String> managedByLabel, List<String> keyManagers) {

    /** Our field manager name and our {@code app.kubernetes.io/managed-by} value. */
    public static final String MANAGER = "remote-write-autoscaler";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

    public HashringOwnership {
        managedByLabel = Objects.requireNonNullElse(managedByLabel, Optional.<String>empty()).filter(s -> !s.isBlank());
        keyManagers = List.copyOf(keyManagers);
    }

    /** A ConfigMap that does not exist yet, or names nobody. */
    public static HashringOwnership none() {
        return new HashringOwnership(Optional.empty(), List.of());
    }

    /**
     * Who else manages it, in words for the report and the Event; empty when it is ours to write.
     *
     * @param contentIsOurs the key holds exactly what we last wrote (our hash annotation matches it): whoever the
     *                      field manager is (an older release of this service wrote as {@code fabric8-kubernetes-client}),
     *                      nobody changed it since
     */
    public Optional<String> otherController(String key, boolean contentIsOurs) {
        if (managedByLabel.isPresent() && !managedByLabel.get().equals(MANAGER)) {
            return Optional.of("managed by " + managedByLabel.get() + " (label " + MANAGED_BY_LABEL + "=" + managedByLabel.get() + ")");
        }
        if (managedByLabel.isPresent() || contentIsOurs) {
            return Optional.empty();
        }
        return keyManagers.stream().filter(m -> !m.equals(MANAGER) && !isPerson(m)).findFirst()
                .map(m -> "managed by " + m + " (field manager of data." + key + ")");
    }

    /** Field managers of the tools people edit with: their writes are hand edits, not a controller's. */
    static boolean isPerson(String manager) {
        return manager.equals("kubectl") || manager.startsWith("kubectl-") || manager.equals("before-first-apply");
    }
}
