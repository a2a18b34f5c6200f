package io.rwautoscaler.core.model;

import java.time.Duration;

/**
 * The one "not yet" of the {@code /api/v1/} reports: until its loop's first cycle has completed, every report
 * answers 503 with a Kubernetes {@code Status} (reason {@code ServiceUnavailable}) whose message starts with
 * {@code no <report> yet:} and says when the first cycle runs, or that the loop is off.
 */
public final class NotYet {

    private NotYet() {
    }

    /** {@code no shard tuner report yet: the first cycle runs 5s after start-up, then every 1m}. */
    public static String message(String report, boolean enabled, String enabledKey, Duration firstDelay,
                                 Duration every) {
        if (!enabled) {
            return "no " + report + " yet: the loop is off (" + enabledKey + "=false)";
        }
        return "no " + report + " yet: the first cycle runs " + PromDuration.formatSeconds(firstDelay)
                + " after start-up, then every " + PromDuration.formatSeconds(every);
    }
}
