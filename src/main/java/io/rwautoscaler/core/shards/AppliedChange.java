package io.rwautoscaler.core.shards;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A queueConfig change we applied to one queue, remembered to pace the next one (cooldown) and to notice when
 * someone undoes it.
 *
 * @param reverted set once the config was seen back at {@code before} after the rollout grace; it stays set while
 *                 the config stays there, so we keep out of the way
 */
public record AppliedChange(Instant at, QueueConfig before, QueueConfig after, boolean reverted) {

    /** Where our change stands, judged from the config observed now. */
    public enum Standing {
        /** The config is what we set. */
        HOLDING,
        /** The config is still the old one, but the change is young enough to be still rolling out. */
        ROLLING_OUT,
        /** The config is back at the old one: GitOps, Helm or a person undid our change. */
        REVERTED,
        /** The config is neither: someone else changed it; theirs is the new baseline. */
        REPLACED
    }

    public AppliedChange {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public Standing standing(QueueConfig observed, Instant now, Duration rolloutGrace) {
        if (observed.sameEffective(after)) {
            return Standing.HOLDING;
        }
        if (observed.sameEffective(before)) {
            // In cluster mode the resource shows our patch at once; in local mode the metrics show it after a reload.
            boolean young = now.isBefore(at.plus(rolloutGrace));
            return reverted || !young ? Standing.REVERTED : Standing.ROLLING_OUT;
        }
        return Standing.REPLACED;
    }

    public AppliedChange withReverted(boolean value) {
        return value == reverted ? this : new AppliedChange(at, before, after, value);
    }
}
