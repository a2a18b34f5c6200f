package io.rwautoscaler.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.rwautoscaler.core.model.PodInfo;

/** A fabric8 Pod as the model's PodInfo, readiness judged the way the endpoints controller does. */
public final class Pods {

    private Pods() {
    }

    public static PodInfo toInfo(Pod p) {
        return new PodInfo(p.getMetadata().getNamespace(), p.getMetadata().getName(), p.getMetadata().getLabels(), isReady(p));
    }

    /** Ready as the endpoints controller sees it: the Ready condition is True and the pod is not terminating. */
    static boolean isReady(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null || p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        return p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
