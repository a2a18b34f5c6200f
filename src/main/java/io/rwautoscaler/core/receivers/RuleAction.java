package io.rwautoscaler.core.receivers;

import java.util.Locale;
import java.util.Optional;

/** What a firing rule asks for: the runbook's "action" column. */
public enum RuleAction {
    ADD_AGENT_SHARDS(ScalingDirection.SCALE_OUT, ScalingLever.AGENT_SHARDS),
    REMOVE_AGENT_SHARDS(ScalingDirection.SCALE_IN, ScalingLever.AGENT_SHARDS),
    ADD_RECEIVERS(ScalingDirection.SCALE_OUT, ScalingLever.RECEIVER_REPLICAS),
    REMOVE_RECEIVERS(ScalingDirection.SCALE_IN, ScalingLever.RECEIVER_REPLICAS),
    ADD_RECEIVER_MEMORY(ScalingDirection.SCALE_OUT, ScalingLever.RECEIVER_MEMORY),
    REMOVE_RECEIVER_MEMORY(ScalingDirection.SCALE_IN, ScalingLever.RECEIVER_MEMORY),
    EXPAND_VOLUME_OR_CUT_RETENTION(ScalingDirection.SCALE_OUT, ScalingLever.RECEIVER_STORAGE);

    private final ScalingDirection direction;
    private final ScalingLever lever;

    RuleAction(ScalingDirection direction, ScalingLever lever) {
        this.direction = direction;
        this.lever = lever;
    }

    public ScalingDirection direction() {
        return direction;
    }

    public ScalingLever lever() {
        return lever;
    }

    /** Same lever, opposite direction: both firing at once would be a contradiction. */
    public boolean opposes(RuleAction other) {
        return lever == other.lever && direction != other.direction;
    }

    /**
     * Accepts the enum name in any case, with '-' for '_' ({@code add-receivers}), because policy
     * files are written by hand; anything else is unknown.
     */
    public static Optional<RuleAction> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String normalized = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (RuleAction action : values()) {
            if (action.name().equals(normalized)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
