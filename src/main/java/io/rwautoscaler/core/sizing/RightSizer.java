package io.rwautoscaler.core.sizing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

import static io.rwautoscaler.core.sizing.Amounts.duration;
import static io.rwautoscaler.core.sizing.Amounts.number;
import static io.rwautoscaler.core.sizing.Amounts.percent;
import static io.rwautoscaler.core.sizing.Amounts.quantity;
import static io.rwautoscaler.core.sizing.Amounts.signedPercent;

/**
 * Decides requests, limits and (for workloads an HPA scales on utilization) replicas from a window of usage.
 * It only recommends and flags; applying anything is somebody else's decision. Pure: time is an argument.
 *
 * <p>Per resource, in order: an HPA scaling on the resource keeps its request as it is; too little data gives
 * {@code insufficient-data}; otherwise request = statistic × buffer (CPU: the policy's percentile, memory: the
 * maximum), rounded up to the policy's steps, raised to the floor, then held within the workload's bounds.
 * Flagged when there is no request, or the recommendation is more than the change threshold away from it.
 */
public final class RightSizer {

    /** Changes within this of the threshold count as equal to it: 240m against 200m is 20 %, not 20.0000001 %. */
    private static final double TOLERANCE = 1e-9;

    private final SizingPolicy policy;
    private final CostModel prices;

    public RightSizer(SizingPolicy policy, CostModel prices) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.prices = Objects.requireNonNull(prices, "prices");
    }

    public SizingPolicy policy() {
        return policy;
    }

    /** Every workload, with totals per namespace and per cluster. One scratch buffer serves all percentiles. */
    public RightSizingReport evaluate(List<WorkloadUsage> workloads, Instant now) {
        Scratch scratch = new Scratch();
        List<WorkloadRecommendation> items = new ArrayList<>(workloads.size());
        Map<String, SavingTotal> byNamespace = new TreeMap<>();
        Map<String, SavingTotal> byCluster = new TreeMap<>();
        MonthlyCost total = MonthlyCost.ZERO;
        for (WorkloadUsage workload : workloads) {
            WorkloadRecommendation item = recommend(workload, now, scratch);
            items.add(item);
            // NUL sorts before any name character, so "a" and its namespaces come before "a-b".
            addTo(byNamespace, item.cluster() + '\0' + item.namespace(), item.cluster(), item.namespace(), item);
            addTo(byCluster, item.cluster(), item.cluster(), "", item);
            total = total.plus(item.cost());
        }
        return new RightSizingReport(now, items, List.copyOf(byNamespace.values()), List.copyOf(byCluster.values()), total);
    }

    /** One workload, from usage in the policy's window ending at {@code now}. */
    public WorkloadRecommendation recommend(WorkloadUsage workload, Instant now) {
        return recommend(workload, now, new Scratch());
    }

    private WorkloadRecommendation recommend(WorkloadUsage workload, Instant now, Scratch scratch) {
        Instant from = now.minus(policy.window());
        Hpa hpa = workload.hpa().orElse(null);
        List<ContainerRecommendation> containers = new ArrayList<>(workload.containers().size());
        for (ContainerUsage container : workload.containers()) {
            Optional<ResourceBounds> bounds = policy.boundsFor(workload.workload(), container.name());
            containers.add(new ContainerRecommendation(container.name(), container.current(),
                    size(SizedResource.CPU, container, from, now, bounds, hpa, scratch),
                    size(SizedResource.MEMORY, container, from, now, bounds, hpa, scratch)));
        }
        Optional<ReplicaRecommendation> replicas = hpa != null && hpa.scalesOnUtilization() && workload.replicas() > 0
                ? Optional.of(replicas(workload.replicas(), hpa, containers))
                : Optional.empty();
        return new WorkloadRecommendation(workload.cluster(), workload.workload(), workload.replicas(), containers,
                replicas, cost(workload.replicas(), containers, replicas));
    }

    private ResourceSizing size(SizedResource resource, ContainerUsage container, Instant from, Instant now,
                                Optional<ResourceBounds> bounds, Hpa hpa, Scratch scratch) {
        UsageSeries series = container.usage(resource).window(from, now);
        UsageStatistics usage = series.statistics(policy.cpuPercentile(), scratch.atLeast(series.pointCount()));
        OptionalDouble current = container.current().request(resource);
        OptionalDouble currentLimit = container.current().limit(resource);
        boolean hasRequest = current.isPresent() && current.getAsDouble() > 0;
        OptionalInt hpaTarget = hpa == null ? OptionalInt.empty() : hpa.target(resource);
        String name = resource.label();

        if (hpaTarget.isPresent() && hasRequest) {
            double kept = current.getAsDouble();
            StringBuilder reason = new StringBuilder(name).append(" request kept at ").append(quantity(resource, kept))
                    .append(": HPA ").append(hpa.name()).append(" scales on ").append(name).append(" utilization (target ")
                    .append(hpaTarget.getAsInt()).append("%), so replicas are sized instead");
            OptionalDouble limit = limit(resource, kept, currentLimit, reason);
            return new ResourceSizing(resource, usage, current, current, currentLimit, limit, OptionalDouble.of(0),
                    Verdict.HPA_MANAGED, reason.toString());
        }
        if (!usage.covers(policy.minData())) {
            String reason = Verdict.INSUFFICIENT_DATA.label() + ": " + name + " observed " + duration(usage.coverage())
                    + " in the last " + duration(policy.window()) + ", needs " + duration(policy.minData())
                    + " (" + usage.points() + " points, " + usage.gaps() + " gaps)"
                    + (hasRequest ? "" : "; no request set");
            return new ResourceSizing(resource, usage, current, OptionalDouble.empty(), currentLimit,
                    OptionalDouble.empty(), OptionalDouble.empty(), Verdict.INSUFFICIENT_DATA, reason);
        }

        boolean cpu = resource == SizedResource.CPU;
        double basis = cpu ? usage.percentile() : usage.max();
        double buffer = policy.buffer(resource);
        double raw = basis * buffer;
        double rounded = policy.rounding().roundUp(resource, raw);
        double recommended = Math.max(rounded, policy.floor(resource));
        String adjustment = recommended > rounded ? " (floor)" : "";
        if (bounds.isPresent()) {
            ResourceBounds b = bounds.get();
            if (recommended < b.min(resource)) {
                recommended = b.min(resource);
                adjustment = " (bounds min)";
            } else if (recommended > b.max(resource)) {
                recommended = b.max(resource);
                adjustment = " (bounds max)";
            }
        }

        StringBuilder reason = new StringBuilder(hasRequest ? "" : "no request set: ").append(name).append(' ')
                .append(cpu ? Amounts.quantileName(usage.quantile()) : "max").append(' ')
                .append(Amounts.usage(resource, basis)).append(" × ").append(number(buffer, 3)).append(" = ")
                .append(cpu ? Amounts.cores(raw) : Amounts.bytes(raw)).append(" → ")
                .append(quantity(resource, recommended)).append(adjustment);
        OptionalDouble delta = OptionalDouble.empty();
        Verdict verdict = Verdict.NO_REQUEST_SET;
        if (hasRequest) {
            double d = (recommended - current.getAsDouble()) / current.getAsDouble();
            delta = OptionalDouble.of(d);
            verdict = Math.abs(d) > policy.changeThreshold() + TOLERANCE ? Verdict.RESIZE : Verdict.KEEP;
            reason.append(", current ").append(quantity(resource, current.getAsDouble()))
                    .append(" (").append(signedPercent(d)).append(')');
            if (verdict == Verdict.KEEP) {
                reason.append(", within ").append(percent(policy.changeThreshold()));
            }
        }
        if (!hasRequest && hpaTarget.isPresent()) {
            reason.append("; HPA ").append(hpa.name()).append(" needs it to compute ").append(name).append(" utilization");
        }
        OptionalDouble limit = limit(resource, recommended, currentLimit, reason);
        return new ResourceSizing(resource, usage, current, OptionalDouble.of(recommended), currentLimit, limit,
                delta, verdict, reason.toString());
    }

    /**
     * Limits are only raised, never lowered or added: lowering one is what causes OOM kills and throttling, and an
     * absent limit is already above any request. CPU: not below the request (the API rejects that). Memory: at
     * least {@code memoryLimitRatio} × the request, rounded up to the memory step.
     */
    private OptionalDouble limit(SizedResource resource, double request, OptionalDouble currentLimit, StringBuilder reason) {
        if (currentLimit.isEmpty()) {
            return currentLimit;
        }
        double needed = resource == SizedResource.CPU ? request
                : policy.rounding().roundUpMemory(request * policy.memoryLimitRatio());
        double limit = currentLimit.getAsDouble();
        if (limit >= needed) {
            return currentLimit;
        }
        reason.append("; limit ").append(quantity(resource, limit)).append(" → ").append(quantity(resource, needed))
                .append(resource == SizedResource.CPU ? " (not below the request)"
                        : " (at least " + number(policy.memoryLimitRatio(), 3) + " × the request)");
        return OptionalDouble.of(needed);
    }

    /**
     * Replicas the mean utilization needs at the HPA's target: ceil(replicas × utilization / target), the larger of
     * CPU and memory as the HPA takes the larger proposal, within the HPA's min/max. Utilization is the pod's usage
     * over its requests, as the HPA computes it. The mean rather than a peak: the HPA adds replicas at peaks itself.
     */
    private ReplicaRecommendation replicas(int current, Hpa hpa, List<ContainerRecommendation> containers) {
        StringBuilder reason = new StringBuilder("HPA ").append(hpa.name()).append(": ");
        OptionalDouble[] utilization = {OptionalDouble.empty(), OptionalDouble.empty()};
        int needed = 0;
        for (SizedResource resource : SizedResource.values()) {
            OptionalInt target = hpa.target(resource);
            if (target.isEmpty()) {
                continue;
            }
            double used = 0;
            double requested = 0;
            for (ContainerRecommendation container : containers) {
                ResourceSizing sizing = container.sizing(resource);
                if (sizing.currentRequest().isEmpty() || sizing.currentRequest().getAsDouble() <= 0) {
                    return unchanged(current, hpa, utilization, Verdict.KEEP, reason.append("cannot compute ")
                            .append(resource.label()).append(" utilization: container ").append(container.container())
                            .append(" has no ").append(resource.label()).append(" request"));
                }
                if (!sizing.usage().covers(policy.minData())) {
                    return unchanged(current, hpa, utilization, Verdict.INSUFFICIENT_DATA, reason
                            .append(Verdict.INSUFFICIENT_DATA.label()).append(" for ").append(resource.label())
                            .append(" of container ").append(container.container()));
                }
                used += sizing.usage().mean();
                requested += sizing.currentRequest().getAsDouble();
            }
            double u = used / requested;
            utilization[resource.ordinal()] = OptionalDouble.of(u);
            int proposal = (int) Math.ceil(current * u * 100 / target.getAsInt() * (1 - 1e-12));
            needed = Math.max(needed, proposal);
            reason.append(resource.label()).append(' ').append(percent(u)).append(" of the ")
                    .append(target.getAsInt()).append("% target at ").append(current).append(" replicas → ceil(")
                    .append(current).append(" × ").append(number(u * 100, 1)).append(" / ").append(target.getAsInt())
                    .append(") = ").append(proposal).append("; ");
        }
        int recommended = Math.min(Math.max(Math.max(needed, 1), hpa.minReplicas()), hpa.maxReplicas());
        if (recommended > needed) {
            reason.append("held at minReplicas ").append(hpa.minReplicas()).append("; ");
        } else if (recommended < needed) {
            reason.append("capped at maxReplicas ").append(hpa.maxReplicas()).append(", raise it; ");
        }
        double delta = (recommended - current) / (double) current;
        // Capped at maxReplicas, the workload is short of replicas whatever the delta: flag it so maxReplicas is raised.
        Verdict verdict = Math.abs(delta) > policy.changeThreshold() + TOLERANCE || recommended < needed
                ? Verdict.RESIZE : Verdict.KEEP;
        reason.append(current).append(" → ").append(recommended).append(" replicas (").append(signedPercent(delta))
                .append(')');
        if (verdict == Verdict.KEEP) {
            reason.append(", within ").append(percent(policy.changeThreshold()));
        }
        reason.append("; requests of the resources it scales on are kept");
        if (hpa.otherMetrics()) {
            reason.append("; it also scales on other metrics, which may hold more replicas");
        }
        return new ReplicaRecommendation(current, recommended, hpa.minReplicas(), hpa.maxReplicas(),
                utilization[0], utilization[1], OptionalDouble.of(delta), verdict, reason.toString());
    }

    private static ReplicaRecommendation unchanged(int current, Hpa hpa, OptionalDouble[] utilization, Verdict verdict,
                                                   StringBuilder reason) {
        return new ReplicaRecommendation(current, current, hpa.minReplicas(), hpa.maxReplicas(), utilization[0],
                utilization[1], OptionalDouble.empty(), verdict, reason.toString());
    }

    /** Current cost against the cost of what the flags propose (unflagged parts stay as they are). */
    private MonthlyCost cost(int replicas, List<ContainerRecommendation> containers,
                             Optional<ReplicaRecommendation> replicaRecommendation) {
        if (prices.isFree()) {
            return MonthlyCost.ZERO;
        }
        double currentCores = 0;
        double proposedCores = 0;
        long currentBytes = 0;
        long proposedBytes = 0;
        for (ContainerRecommendation c : containers) {
            ContainerResources now = c.current();
            ContainerResources proposed = c.proposed();
            currentCores += now.cpuRequest().orElse(0);
            proposedCores += proposed.cpuRequest().orElse(0);
            currentBytes += now.memoryRequest().orElse(0);
            proposedBytes += proposed.memoryRequest().orElse(0);
        }
        int proposedReplicas = replicaRecommendation.map(ReplicaRecommendation::proposed).orElse(replicas);
        return MonthlyCost.of(prices.monthly(replicas, currentCores, currentBytes),
                prices.monthly(proposedReplicas, proposedCores, proposedBytes));
    }

    private static void addTo(Map<String, SavingTotal> totals, String key, String cluster, String namespace,
                              WorkloadRecommendation item) {
        totals.compute(key, (k, t) -> (t == null ? new SavingTotal(cluster, namespace, 0, 0, MonthlyCost.ZERO) : t).add(item));
    }

    /** A growing buffer for percentile selection, so evaluating many series does not allocate per series. */
    private static final class Scratch {
        private double[] buffer = new double[2048];

        double[] atLeast(int n) {
            if (buffer.length < n) {
                buffer = new double[Math.max(n, 2 * buffer.length)];
            }
            return buffer;
        }
    }
}
