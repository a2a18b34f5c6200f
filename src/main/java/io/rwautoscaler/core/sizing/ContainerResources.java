package io.rwautoscaler.core.sizing;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Requests and limits of one container, any of which may be unset. CPU in cores, memory in bytes; Kubernetes
 * quantity strings are parsed and formatted at the edges.
 */
public record ContainerResources(OptionalDouble cpuRequest, OptionalLong memoryRequest,
                                 OptionalDouble cpuLimit, OptionalLong memoryLimit) {

    private static final ContainerResources NONE = new ContainerResources(OptionalDouble.empty(),
            OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.empty());

    public ContainerResources {
        cpuRequest = cpuRequest == null ? OptionalDouble.empty() : cpuRequest;
        memoryRequest = memoryRequest == null ? OptionalLong.empty() : memoryRequest;
        cpuLimit = cpuLimit == null ? OptionalDouble.empty() : cpuLimit;
        memoryLimit = memoryLimit == null ? OptionalLong.empty() : memoryLimit;
    }

    public static ContainerResources none() {
        return NONE;
    }

    public static ContainerResources requests(double cpuCores, long memoryBytes) {
        return new ContainerResources(OptionalDouble.of(cpuCores), OptionalLong.of(memoryBytes),
                OptionalDouble.empty(), OptionalLong.empty());
    }

    public ContainerResources withLimits(double cpuCores, long memoryBytes) {
        return new ContainerResources(cpuRequest, memoryRequest, OptionalDouble.of(cpuCores), OptionalLong.of(memoryBytes));
    }

    public ContainerResources withCpuLimit(double cpuCores) {
        return new ContainerResources(cpuRequest, memoryRequest, OptionalDouble.of(cpuCores), memoryLimit);
    }

    public ContainerResources withMemoryLimit(long memoryBytes) {
        return new ContainerResources(cpuRequest, memoryRequest, cpuLimit, OptionalLong.of(memoryBytes));
    }

    /** The request in the resource's unit (cores or bytes), for code that treats both resources alike. */
    public OptionalDouble request(SizedResource resource) {
        return resource == SizedResource.CPU ? cpuRequest : toDouble(memoryRequest);
    }

    /** The limit in the resource's unit (cores or bytes). */
    public OptionalDouble limit(SizedResource resource) {
        return resource == SizedResource.CPU ? cpuLimit : toDouble(memoryLimit);
    }

    private static OptionalDouble toDouble(OptionalLong value) {
        return value.isPresent() ? OptionalDouble.of(value.getAsLong()) : OptionalDouble.empty();
    }
}
