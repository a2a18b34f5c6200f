package io.rwautoscaler.core.sizing;

/** The two resources right-sizing decides: CPU in cores, memory in bytes. */
public enum SizedResource {
    CPU("cpu"), MEMORY("memory");

    private final String label;

    SizedResource(String label) {
        this.label = label;
    }

    /** As Kubernetes names the resource in requests and limits. */
    public String label() {
        return label;
    }
}
