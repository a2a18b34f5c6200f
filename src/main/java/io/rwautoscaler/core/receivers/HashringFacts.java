package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.PodInfo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one hashring sync observed: the receive StatefulSet's pods and the ConfigMap as it is.
 *
 * @param statefulSetFound the receive StatefulSet exists (its pods are listed only then)
 * @param pods             the pods its selector selects
 * @param configMapExists  the hashring ConfigMap exists
 * @param keyPresent       it holds the hashring key
 * @param parsed           the key's JSON read generically (a list), empty when missing or not a JSON list
 * @param contentIsOurs    the key holds exactly what this service last wrote (its SHA-256 annotation matches)
 * @param ownership        who else manages the ConfigMap
 * @param rolloutRunning   the StatefulSet is rolling its pods (a generation not yet observed, or two revisions)
 */
public record HashringFacts(boolean statefulSetFound, List<PodInfo> pods, boolean configMapExists, boolean keyPresent,
                            Optional<List<?>> parsed, boolean contentIsOurs, HashringOwnership ownership,
                            boolean rolloutRunning) {

    public HashringFacts {
        pods = List.copyOf(pods);
        parsed = Objects.requireNonNullElse(parsed, Optional.empty());
        Objects.requireNonNull(ownership, "ownership");
    }
}
