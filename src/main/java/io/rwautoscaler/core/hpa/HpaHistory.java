package io.rwautoscaler.core.hpa;

import java.util.List;
import java.util.Objects;

/**
 * What the upstream controller remembers per HPA between syncs ({@code recommendations},
 * {@code scaleUpEvents}, {@code scaleDownEvents} keyed by HPA), as a value: pass {@link #NEW} on the first
 * sync and the {@link HpaDecision#history()} of each sync to the next. The lists stay bounded: upstream reuses
 * one outdated slot per sync instead of appending.
 *
 * @param initialized whether recommendations were ever recorded; on the first sync upstream seeds them with the
 *                    current replica count ({@code recordInitialRecommendation}), which holds off a scale-down for
 *                    one stabilization window after the controller starts
 */
public record HpaHistory(boolean initialized, List<Recommendation> recommendations, List<ScaleEvent> scaleUpEvents,
                         List<ScaleEvent> scaleDownEvents) {

    /** A controller that has never seen this HPA (just started, or the HPA just created). */
    public static final HpaHistory NEW = new HpaHistory(false, List.of(), List.of(), List.of());

    public HpaHistory {
        recommendations = List.copyOf(Objects.requireNonNull(recommendations, "recommendations"));
        scaleUpEvents = List.copyOf(Objects.requireNonNull(scaleUpEvents, "scaleUpEvents"));
        scaleDownEvents = List.copyOf(Objects.requireNonNull(scaleDownEvents, "scaleDownEvents"));
        if (!initialized && !recommendations.isEmpty()) {
            throw new IllegalArgumentException("recommendations recorded on a history marked as never initialized");
        }
    }

    /** A history with these recommendations already recorded (an empty list is not the same as {@link #NEW}). */
    public static HpaHistory of(List<Recommendation> recommendations, List<ScaleEvent> scaleUpEvents,
                                List<ScaleEvent> scaleDownEvents) {
        return new HpaHistory(true, recommendations, scaleUpEvents, scaleDownEvents);
    }
}
