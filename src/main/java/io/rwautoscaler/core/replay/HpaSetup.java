package io.rwautoscaler.core.replay;

import io.rwautoscaler.core.hpa.ControllerSettings;
import io.rwautoscaler.core.hpa.HpaSpec;

import java.util.Objects;

/**
 * The HorizontalPodAutoscaler on the receivers, as read from the cluster, and the controller flags it would run
 * under.
 *
 * @param name the HPA's {@code namespace/name}, for the report
 */
public record HpaSetup(String name, HpaSpec spec, ControllerSettings settings) {

    public HpaSetup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(settings, "settings");
    }
}
