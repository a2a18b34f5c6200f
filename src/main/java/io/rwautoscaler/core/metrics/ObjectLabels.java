package io.rwautoscaler.core.metrics;

/** Which series labels name the object a series describes (prometheus-adapter's resource overrides). */
public record ObjectLabels(String namespace, String pod, String service) {
    public static final ObjectLabels DEFAULT = new ObjectLabels("namespace", "pod", "service");
}
