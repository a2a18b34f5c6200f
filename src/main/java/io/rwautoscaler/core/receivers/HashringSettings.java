package io.rwautoscaler.core.receivers;

/**
 * How the hashring sync may act ({@code autoscaler.receivers.hashring.*}).
 *
 * @param sync         write the ConfigMap (off: compare and report only)
 * @param rollOnChange after a write, roll the receivers; a running rollout holds the next write
 * @param takeOver     write a ConfigMap another controller manages
 */
public record HashringSettings(boolean sync, boolean rollOnChange, boolean takeOver) {
}
