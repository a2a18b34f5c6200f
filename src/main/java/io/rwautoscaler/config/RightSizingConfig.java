package io.rwautoscaler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Right-sizing: which workloads, how usage is read and judged, and what resources cost. Every key is listed with
 * its default in the README's "Right-sizing" section. It only flags: nothing is ever patched.
 */
@ConfigMapping(prefix = "autoscaler.rightsizing")
public interface RightSizingConfig {

    /** Run the right-sizing loop at all. */
    @WithDefault("true")
    boolean enabled();

    /** How often a run starts (runs never overlap; a run takes seconds to minutes). */
    @WithDefault("1h")
    Duration every();

    /** Delay of the first run after start-up, so that it does not compete with the first metrics refreshes. */
    @WithDefault("30s")
    Duration initialDelay();

    /** Namespaces whose Deployments, StatefulSets and DaemonSets are sized ({@code *} = every namespace). */
    @WithDefault("monitoring")
    List<String> namespaces();

    /**
     * Namespaces per usage query: each resource is read with one range query per group of this many namespaces
     * ({@code namespace=~"a|b|c"}), never per container. Smaller groups give smaller answers.
     */
    @WithDefault("1")
    int namespacesPerQuery();

    /** Label selector on the workloads' own labels (cluster mode: metadata.labels; local mode: kube_*_labels). */
    Optional<String> selector();

    /** Name of this cluster in the report and its totals. */
    @WithDefault("default")
    String cluster();

    /** Usage window each run looks back over. */
    @WithDefault("7d")
    Duration window();

    /** Observed time (gaps excluded) below which a container's resource is reported as insufficient-data. */
    @WithDefault("24h")
    Duration minData();

    /** Step of the usage range queries; CPU is the rate over max(5m, step), memory the max over the step. */
    @WithDefault("5m")
    Duration step();

    /** Points per series one range query may return (Prometheus refuses more than 11,000); longer windows are split. */
    @WithDefault("11000")
    int maxPointsPerSeries();

    /** Timeout of one usage query (HTTP and Prometheus' own evaluation timeout); a timed-out part makes the report partial. */
    @WithDefault("60s")
    Duration queryTimeout();

    /** Quantile of the 5 m CPU rate the CPU request is sized from. */
    @WithDefault("0.95")
    double cpuPercentile();

    /** CPU request = percentile × this. */
    @WithDefault("1.1")
    double cpuBuffer();

    /** Memory request = maximum working set × this. */
    @WithDefault("1.15")
    double memoryBuffer();

    /** Smallest CPU request ever recommended (a Kubernetes quantity). */
    @WithDefault("10m")
    String cpuFloor();

    /** Smallest memory request ever recommended (a Kubernetes quantity). */
    @WithDefault("64Mi")
    String memoryFloor();

    /** A set memory limit is raised to at least this × the recommended memory request (OOM safety). */
    @WithDefault("1.2")
    double memoryLimitRatio();

    /** Flag only changes larger than this fraction of what is set. */
    @WithDefault("0.2")
    double changeThreshold();

    /** Post a Kubernetes Event on a workload when its recommendation first appears or changes (cluster mode only). */
    @WithDefault("true")
    boolean events();

    /** Prices; any left unset counts as zero. */
    Price price();

    /**
     * Min/max requests per workload (or container), like a VPA's minAllowed/maxAllowed; keyed by any name. In
     * cluster mode the VPAs that target a workload add theirs; these come first.
     */
    Map<String, Bounds> bounds();

    interface Price {
        /** Price of one requested core for one hour, e.g. {@code 0.0316}. */
        Optional<BigDecimal> coreHour();

        /** Price of one requested GiB of memory for one hour. */
        Optional<BigDecimal> gibHour();

        /** Price of one pod for one hour (runbook: {@code 0.05}). */
        Optional<BigDecimal> podHour();
    }

    interface Bounds {
        /** {@code namespace/kind/name}, e.g. {@code monitoring/statefulset/thanos-receive}. */
        String workload();

        /** A container name, or {@code *} for all the workload's containers. */
        @WithDefault("*")
        String container();

        /** Kubernetes quantities; an unset minimum is 0, an unset maximum unbounded. */
        Optional<String> minCpu();

        Optional<String> minMemory();

        Optional<String> maxCpu();

        Optional<String> maxMemory();
    }
}
