package io.rwautoscaler.sizing;

import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.core.model.PromDuration;
import io.rwautoscaler.core.sizing.ContainerRecommendation;
import io.rwautoscaler.core.sizing.MonthlyCost;
import io.rwautoscaler.core.sizing.ReplicaRecommendation;
import io.rwautoscaler.core.sizing.ResourceSizing;
import io.rwautoscaler.core.sizing.SavingTotal;
import io.rwautoscaler.core.sizing.SizedResource;
import io.rwautoscaler.core.sizing.UsageStatistics;
import io.rwautoscaler.core.sizing.Verdict;
import io.rwautoscaler.core.sizing.WorkloadRecommendation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code GET /api/v1/rightsizing} as JSON. Requests and limits are Kubernetes quantities ("200m", "304Mi"; null
 * when unset); usage statistics are plain numbers in cores and bytes (null without data); deltas are fractions
 * (-0.6 = 60 % less); money is per month of 730 h in the configured prices' currency.
 *
 * @param partial        some of the data is missing (a query timed out or failed): the figures are not complete
 * @param lastFailure    a run after this report failed, and why; this report is the last complete one
 */
public record RightSizingView(String kind, String apiVersion, Instant evaluatedAt, String window, String step, boolean partial,
                              List<String> partialReasons, List<String> notes, Run run, Failure lastFailure,
                              List<Item> items, Totals totals) {

    public static final String KIND = "RightSizingReport";
    public static final String API_VERSION = "rwa/v1";

    public record Run(Instant startedAt, double durationSeconds, int usageQueries) {
    }

    public record Failure(Instant at, String message) {
    }

    /** One workload. {@code verdict} is the most telling of its containers' and replicas' verdicts. */
    public record Item(String cluster, String namespace, String kind, String workload, String verdict,
                       boolean flagged, boolean partial, List<String> partialReasons, Replicas replicas,
                       List<Container> containers, Money monthlyCost) {
    }

    public record Replicas(int current, int recommended, int minReplicas, int maxReplicas, Double cpuUtilization,
                           Double memoryUtilization, Double delta, String verdict, String reason) {
    }

    public record Container(String container, String verdict, Resource cpu, Resource memory) {
    }

    /** One resource of a container: what is set, how it was used, what to set. */
    public record Resource(String verdict, Amounts current, Amounts recommended, Double delta, Usage usage,
                           String reason) {
    }

    public record Amounts(String request, String limit) {
    }

    /**
     * @param points         usage points over the window, all pods of the container together
     * @param coverageHours  time observed, gaps excluded
     * @param percentile     at {@code quantile} (CPU is sized from it)
     * @param max            the peak (memory is sized from it)
     */
    public record Usage(int points, double coverageHours, int gaps, double gapHours, double quantile,
                        Double percentile, Double max, Double mean) {
    }

    public record Money(BigDecimal current, BigDecimal proposed, BigDecimal saving) {
        static Money of(MonthlyCost c) {
            return new Money(c.current(), c.proposed(), c.saving());
        }
    }

    public record Totals(List<Total> namespaces, List<Total> clusters, Money total) {
    }

    public record Total(String cluster, String namespace, int workloads, int flaggedWorkloads, Money monthlyCost) {
        static Total of(SavingTotal t) {
            return new Total(t.cluster(), t.namespace(), t.workloads(), t.flaggedWorkloads(), Money.of(t.cost()));
        }
    }

    public static RightSizingView of(RightSizingRun run, RightSizingHolder.Failure failure) {
        var report = run.report();
        List<Item> items = report.items().stream().map(r -> item(run, r)).toList();
        return new RightSizingView(KIND, API_VERSION, report.evaluatedAt(), PromDuration.format(run.window()), PromDuration.format(run.step()),
                run.partial(), run.allPartialReasons(), run.notes(),
                new Run(run.startedAt(), run.took().toMillis() / 1000.0, run.usageQueries()),
                failure == null ? null : new Failure(failure.at(), failure.message()), items,
                new Totals(report.namespaceTotals().stream().map(Total::of).toList(),
                        report.clusterTotals().stream().map(Total::of).toList(), Money.of(report.total())));
    }

    static Item item(RightSizingRun run, WorkloadRecommendation r) {
        List<String> why = run.partialReasons(r);
        return new Item(r.cluster(), r.namespace(), r.workload().kind().kind(), r.workload().name(),
                verdict(r).label(), r.flagged(), !why.isEmpty(), why, r.replicas().map(RightSizingView::replicas).orElse(null),
                r.containers().stream().map(RightSizingView::container).toList(), Money.of(r.cost()));
    }

    /** The most telling verdict of the workload: the latest in {@link Verdict}'s order, flagged ones last. */
    static Verdict verdict(WorkloadRecommendation r) {
        return java.util.stream.Stream.concat(r.containers().stream().map(ContainerRecommendation::verdict),
                        r.replicas().stream().map(ReplicaRecommendation::verdict))
                .max(Comparator.naturalOrder()).orElse(Verdict.KEEP);
    }

    private static Replicas replicas(ReplicaRecommendation x) {
        return new Replicas(x.current(), x.recommended(), x.minReplicas(), x.maxReplicas(), number(x.cpuUtilization()),
                number(x.memoryUtilization()), number(x.delta()), x.verdict().label(), x.reason());
    }

    private static Container container(ContainerRecommendation c) {
        return new Container(c.container(), c.verdict().label(), resource(c.cpu()), resource(c.memory()));
    }

    static Resource resource(ResourceSizing s) {
        UsageStatistics u = s.usage();
        return new Resource(s.verdict().label(),
                new Amounts(quantity(s.resource(), s.currentRequest()), quantity(s.resource(), s.currentLimit())),
                new Amounts(quantity(s.resource(), s.recommendedRequest()), quantity(s.resource(), s.recommendedLimit())),
                number(s.delta()),
                new Usage(u.points(), hours(u.coverage()), u.gaps(), hours(u.gapTime()), u.quantile(),
                        number(u.percentile()), number(u.max()), number(u.mean())),
                s.reason());
    }

    static String quantity(SizedResource resource, OptionalDouble v) {
        if (v.isEmpty()) {
            return null;
        }
        return resource == SizedResource.CPU ? Quantity.formatCpu(v.getAsDouble()) : Quantity.formatMemory(Math.round(v.getAsDouble()));
    }

    static Double number(OptionalDouble v) {
        return v.isPresent() ? number(v.getAsDouble()) : null;
    }

    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static double hours(java.time.Duration d) {
        return d.toSeconds() / 3600.0;
    }
}
