package io.rwautoscaler.core.replay;

import java.util.Objects;
import java.util.Optional;

/**
 * The HPA part of a replay's input: the receivers' HPA and the figures it reads, or why there is none to replay.
 */
public record HpaPart(Optional<HpaSetup> setup, Optional<HpaFigures> figures, String absentBecause) {

    public HpaPart {
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(figures, "figures");
        Objects.requireNonNull(absentBecause, "absentBecause");
        if (setup.isPresent() != figures.isPresent()) {
            throw new IllegalArgumentException("an HPA to replay needs its figures, and figures need an HPA");
        }
    }

    public static HpaPart of(HpaSetup setup, HpaFigures figures) {
        return new HpaPart(Optional.of(setup), Optional.of(figures), "");
    }

    public static HpaPart absent(String because) {
        return new HpaPart(Optional.empty(), Optional.empty(), because);
    }
}
