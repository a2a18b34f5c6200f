package io.rwautoscaler.config;

import io.rwautoscaler.core.model.Aggregation;
import io.rwautoscaler.core.model.MetricKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics the adapter serves, and how fresh they must be. Every key is listed with its default in the
 * README's configuration table.
 */
@ConfigMapping(prefix = "autoscaler.metrics")
public interface MetricsConfig {

    /** How often every rule is queried and a new snapshot published. */
    @WithDefault("15s")
    Duration refresh();

    /** A rule whose last successful refresh is older than this answers 503, and readiness fails. */
    @WithDefault("2m")
    Duration maxStaleness();

    /**
     * Most series one Prometheus answer may hold (each rule's query, range answers, the policy and shard queries):
     * counted while the answer is read, so a larger answer fails that query (naming this key) before it is held, and
     * the last good data stays served. 100,000 fits the image's heap at the chart's 512Mi limit (128 MiB: 55 MiB live
     * after a full GC; 200,000 ran out of heap, see benchmarks/results/2026-12-05-series.md): raise it together with
     * the memory limit.
     */
    @WithDefault("100000")
    int maxSeries();

    /** Serve the three built-in remote-write rules (queue length, lag, shard utilization). */
    @WithDefault("true")
    boolean builtins();

    /**
     * Extra PromQL label matchers put into every built-in query as {@code <<.Matchers>>},
     * e.g. {@code cluster="cluster-03"} when reading from a Thanos Query shared by several clusters.
     */
    @WithDefault("")
    Optional<String> matchers();

    /** Series label holding the namespace of the object a series describes. */
    @WithDefault("namespace")
    String namespaceLabel();

    /** Series label holding the pod name. */
    @WithDefault("pod")
    String podLabel();

    /** Series label holding the service name (services/* requests). */
    @WithDefault("service")
    String serviceLabel();

    /** Local mode: the query whose series list the pods (labels = series labels, ready = value 1). */
    @WithDefault("up")
    String inventoryQuery();

    /** User rules, keyed by the metric name they are served under. */
    Map<String, Rule> rules();

    interface Rule {
        /** PromQL template; placeholders {@code <<.Matchers>>} and {@code <<.Window>>}. */
        String query();

        /** PromQL returning each series' sample time (e.g. {@code timestamp(metric)}); default: evaluation time. */
        Optional<String> timestampQuery();

        /** {@code custom}, {@code external}, or both (comma-separated). */
        @WithDefault("custom")
        List<MetricKind> kind();

        /** How several series of one object combine: sum, max, min, avg. */
        @WithDefault("sum")
        Aggregation aggregation();

        /** Window a rate was computed over ({@code <<.Window>>}); 0 for instantaneous values. */
        @WithDefault("0s")
        Duration window();

        /** Spread the total over ready receiver pods on pods/* requests for receivers (see README). */
        @WithDefault("false")
        boolean distributeToReceivers();

        /** One line for the README and logs. */
        Optional<String> description();
    }
}
