package io.rwautoscaler.core.model;

import java.util.regex.Pattern;

/** The one metric-name rule (Prometheus' own): a configured rule's name and a requested metric are checked alike. */
public final class MetricName {

    private static final Pattern PATTERN = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MetricName() {
    }

    /** True for a name Prometheus accepts as a metric name; false for null. */
    public static boolean valid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
