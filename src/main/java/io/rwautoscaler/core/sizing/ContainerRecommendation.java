package io.rwautoscaler.core.sizing;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Right-sizing of one container: what it has, how it was used, and what to set.
 * Not named {@code Recommendation}: that name is kept for the shared model of all loops.
 */
public record ContainerRecommendation(String container, ContainerResources current, ResourceSizing cpu,
                                      ResourceSizing memory) {

    public ContainerRecommendation {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
    }

    public ResourceSizing sizing(SizedResource resource) {
        return resource == SizedResource.CPU ? cpu : memory;
    }

    public boolean flagged() {
        return cpu.flagged() || memory.flagged();
    }

    /** The more telling of the two resources' verdicts (the later in {@link Verdict}'s order; flagged ones win). */
    public Verdict verdict() {
        return cpu.verdict().compareTo(memory.verdict()) >= 0 ? cpu.verdict() : memory.verdict();
    }

    /** The recommended requests and limits; where there is none (not enough data), what is set now. */
    public ContainerResources recommended() {
        return new ContainerResources(
                orElse(cpu.recommendedRequest(), cpu.currentRequest()),
                bytes(orElse(memory.recommendedRequest(), memory.currentRequest())),
                orElse(cpu.recommendedLimit(), cpu.currentLimit()),
                bytes(orElse(memory.recommendedLimit(), memory.currentLimit())));
    }

    /** What the flags propose: recommended values for flagged resources, current ones for the rest. */
    public ContainerResources proposed() {
        return new ContainerResources(cpu.proposedRequest(), bytes(memory.proposedRequest()),
                cpu.proposedLimit(), bytes(memory.proposedLimit()));
    }

    public String reason() {
        return cpu.reason() + "; " + memory.reason();
    }

    private static OptionalDouble orElse(OptionalDouble value, OptionalDouble fallback) {
        return value.isPresent() ? value : fallback;
    }

    private static OptionalLong bytes(OptionalDouble value) {
        return value.isPresent() ? OptionalLong.of(Math.round(value.getAsDouble())) : OptionalLong.empty();
    }
}
