package io.rwautoscaler.core.sizing;

import java.util.Objects;

/** One container of one pod, as usage series name it ({@code namespace}, {@code pod}, {@code container} labels). */
public record ContainerKey(String namespace, String pod, String container) {

    public ContainerKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
    }
}
