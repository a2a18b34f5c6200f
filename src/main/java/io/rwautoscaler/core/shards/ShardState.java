package io.rwautoscaler.core.shards;

import java.util.Optional;

/**
 * Where a queue stands after a decision. The report states ({@code ok}, {@code waiting-for-drain},
 * {@code cooldown}, {@code reverted}, {@code receivers-bottleneck}, {@code insufficient-data}) plus the two
 * directions of an applicable change, the cluster budget refusal and a dead endpoint ({@code endpoint-failing}).
 */
public enum ShardState {
    /** Bounds fit; nothing to change. */
    OK("ok"),
    /** A raise is recommended and may be applied now. */
    RAISE("raise"),
    /** A lowering (or capacity correction down) is recommended and may be applied now. */
    LOWER("lower"),
    /** A change is recommended but the queue's lag is too high, or unknown, to restart it without loss. */
    WAITING_FOR_DRAIN("waiting-for-drain"),
    /** Our last change is recent, or not rolled out yet; its effect must show in the figures first. */
    COOLDOWN("cooldown"),
    /** Someone put the config back to what it was before our change; we do not fight it. */
    REVERTED("reverted"),
    /** The queue needs more throughput but the receivers are what limits it; more shards would hurt. */
    RECEIVERS_BOTTLENECK("receivers-bottleneck"),
    /**
     * The queue's remote-write endpoint refuses (almost) every send: retried or failed samples are about all the
     * samples tried. No bound change helps; the endpoint (URL, receivers, network, auth) needs a person.
     */
    ENDPOINT_FAILING("endpoint-failing"),
    /** A figure needed to decide is missing. */
    INSUFFICIENT_DATA("insufficient-data"),
    /** A change is recommended but the cluster-wide changes-per-hour budget is used up. */
    BUDGET_EXHAUSTED("budget-exhausted");

    private final String wireName;

    ShardState(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the report API and the state gauge's label. */
    public String wireName() {
        return wireName;
    }

    public static Optional<ShardState> fromWireName(String name) {
        for (ShardState s : values()) {
            if (s.wireName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Whether the act step should patch: only these two carry a change that passed every gate. */
    public boolean applies() {
        return this == RAISE || this == LOWER;
    }
}
