package io.rwautoscaler.core.sizing;

import java.util.Objects;

/**
 * One container of a workload: what it has set, and its usage over the window, all pods merged
 * (see {@link UsageSeries#merge}).
 *
 * @param cpu    CPU usage in cores: the 5 m rate of {@code container_cpu_usage_seconds_total}, or
 *               {@link CounterRates#perInterval} of raw counter samples
 * @param memory memory working set in bytes ({@code container_memory_working_set_bytes}), the figure the
 *               kubelet evicts and OOM-kills on
 */
public record ContainerUsage(String name, ContainerResources current, UsageSeries cpu, UsageSeries memory) {

    public ContainerUsage {
        Objects.requireNonNull(name, "name");
        current = current == null ? ContainerResources.none() : current;
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(memory, "memory");
    }

    public UsageSeries usage(SizedResource resource) {
        return resource == SizedResource.CPU ? cpu : memory;
    }
}
