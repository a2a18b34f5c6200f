package io.rwautoscaler.core.hpa;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Port of upstream's {@code ReplicaCalculator} ({@code replica_calculator.go} and the ratio helpers of
 * {@code metrics/utilization.go}): one metric's proposal from the pods and the readings of one sync.
 *
 * <p>Upstream reads pods from an informer and metrics from a client and takes the time from
 * {@code time.Now()}; here all three come in as arguments.
 */
public final class ReplicaCalculator {

    private static final String CPU = "cpu";

    private final ControllerSettings settings;

    public ReplicaCalculator(ControllerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A Resource/Utilization proposal: replicas, the current utilization in percent, the raw average. */
    public record ResourceReplicas(int replicas, int utilization, long rawAverageMilli) {
    }

    /** A proposal from a plain value: replicas and the current (average) usage in milli-units. */
    public record PlainReplicas(int replicas, long usageMilli) {
    }

    /** Upstream's groupPods result. */
    record PodGroups(int readyPodCount, Set<String> unready, Set<String> missing, Set<String> ignored) {
    }

    // GetResourceReplicas: utilization against requests, with the missing/unready rebalance.
    public ResourceReplicas getResourceReplicas(int currentReplicas, int targetUtilization, String resource,
                                                Tolerances tolerances, Optional<String> container, List<Pod> pods,
                                                Map<String, PodMetric> readings, Instant now) {
        Map<String, PodMetric> metrics = resourceMetrics(resource, readings);
        if (pods.isEmpty()) {
            throw new ReplicaCalculationException("no pods returned by selector while calculating replica count");
        }
        PodGroups groups = groupPods(pods, metrics, resource, now);
        metrics.keySet().removeAll(groups.ignored());
        metrics.keySet().removeAll(groups.unready());
        if (metrics.isEmpty()) {
            throw new ReplicaCalculationException("did not receive metrics for targeted pods (pods might be unready)");
        }
        Map<String, Long> requests = calculateRequests(pods, container.orElse(""), resource);

        UtilizationRatio ratio = getResourceUtilizationRatio(metrics, requests, targetUtilization);
        double usageRatio = ratio.ratio();

        boolean scaleUpWithUnready = !groups.unready().isEmpty() && usageRatio > 1.0;
        if (!scaleUpWithUnready && groups.missing().isEmpty()) {
            if (tolerances.isWithin(usageRatio)) {
                return new ResourceReplicas(currentReplicas, ratio.utilization(), ratio.rawAverage());
            }
            return new ResourceReplicas(ceilToInt(usageRatio * groups.readyPodCount()), ratio.utilization(),
                    ratio.rawAverage());
        }

        if (!groups.missing().isEmpty()) {
            if (usageRatio < 1.0) {
                // on a scale-down, missing pods count as using their whole request, or the target when it is above 100 %
                long fallbackUtilization = Math.max(100, targetUtilization);
                for (String pod : groups.missing()) {
                    metrics.put(pod, synthetic(requests.get(pod) * fallbackUtilization / 100));
                }
            } else if (usageRatio > 1.0) {
                for (String pod : groups.missing()) {
                    metrics.put(pod, synthetic(0));
                }
            }
        }
        if (scaleUpWithUnready) {
            for (String pod : groups.unready()) {
                metrics.put(pod, synthetic(0));
            }
        }

        double newUsageRatio = getResourceUtilizationRatio(metrics, requests, targetUtilization).ratio();
        if (tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0)
                || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
            // too small a change, or the rebalance would flip the direction
            return new ResourceReplicas(currentReplicas, ratio.utilization(), ratio.rawAverage());
        }
        int newReplicas = ceilToInt(newUsageRatio * metrics.size());
        if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
            return new ResourceReplicas(currentReplicas, ratio.utilization(), ratio.rawAverage());
        }
        return new ResourceReplicas(newReplicas, ratio.utilization(), ratio.rawAverage());
    }

    // GetRawResourceReplicas: a Resource metric with an AverageValue target.
    public PlainReplicas getRawResourceReplicas(int currentReplicas, long targetUsageMilli, String resource,
                                                Tolerances tolerances, List<Pod> pods,
                                                Map<String, PodMetric> readings, Instant now) {
        return calcPlainMetricReplicas(resourceMetrics(resource, readings), currentReplicas, targetUsageMilli,
                tolerances, pods, resource, now);
    }

    // GetMetricReplicas: a Pods metric (AverageValue per pod).
    public PlainReplicas getMetricReplicas(int currentReplicas, long targetUsageMilli, String metricName,
                                           Tolerances tolerances, List<Pod> pods, Map<String, PodMetric> readings,
                                           Instant now) {
        if (readings.isEmpty()) {
            // the custom metrics client's own check
            throw new ReplicaCalculationException("unable to get metric " + metricName
                    + ": no metrics returned from custom metrics API");
        }
        return calcPlainMetricReplicas(new LinkedHashMap<>(readings), currentReplicas, targetUsageMilli, tolerances,
                pods, "", now);
    }

    // calcPlainMetricReplicas: the same rebalance as resources, with the target standing in for the request.
    private PlainReplicas calcPlainMetricReplicas(Map<String, PodMetric> metrics, int currentReplicas,
                                                  long targetUsage, Tolerances tolerances, List<Pod> pods,
                                                  String resource, Instant now) {
        if (pods.isEmpty()) {
            throw new ReplicaCalculationException("no pods returned by selector while calculating replica count");
        }
        PodGroups groups = groupPods(pods, metrics, resource, now);
        metrics.keySet().removeAll(groups.ignored());
        metrics.keySet().removeAll(groups.unready());
        if (metrics.isEmpty()) {
            throw new ReplicaCalculationException("did not receive metrics for targeted pods (pods might be unready)");
        }
        UsageRatio ratio = getMetricUsageRatio(metrics, targetUsage);
        double usageRatio = ratio.ratio();

        boolean scaleUpWithUnready = !groups.unready().isEmpty() && usageRatio > 1.0;
        if (!scaleUpWithUnready && groups.missing().isEmpty()) {
            if (tolerances.isWithin(usageRatio)) {
                return new PlainReplicas(currentReplicas, ratio.usage());
            }
            return new PlainReplicas(ceilToInt(usageRatio * groups.readyPodCount()), ratio.usage());
        }
        if (!groups.missing().isEmpty()) {
            if (usageRatio < 1.0) {
                for (String pod : groups.missing()) {
                    metrics.put(pod, synthetic(targetUsage));
                }
            } else if (usageRatio > 1.0) {
                for (String pod : groups.missing()) {
                    metrics.put(pod, synthetic(0));
                }
            }
        }
        if (scaleUpWithUnready) {
            for (String pod : groups.unready()) {
                metrics.put(pod, synthetic(0));
            }
        }
        double newUsageRatio = getMetricUsageRatio(metrics, targetUsage).ratio();
        if (tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0)
                || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
            return new PlainReplicas(currentReplicas, ratio.usage());
        }
        int newReplicas = ceilToInt(newUsageRatio * metrics.size());
        if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
            return new PlainReplicas(currentReplicas, ratio.usage());
        }
        return new PlainReplicas(newReplicas, ratio.usage());
    }

    // GetObjectMetricReplicas: an Object metric with a Value target.
    public PlainReplicas getObjectMetricReplicas(int currentReplicas, long targetUsageMilli, long usageMilli,
                                                 Tolerances tolerances, List<Pod> pods) {
        double usageRatio = (double) usageMilli / (double) targetUsageMilli;
        return new PlainReplicas(getUsageRatioReplicaCount(currentReplicas, usageRatio, tolerances, pods), usageMilli);
    }

    // getUsageRatioReplicaCount: scales the ready pods by the ratio; from zero replicas, the ratio alone, no tolerance.
    private int getUsageRatioReplicaCount(int currentReplicas, double usageRatio, Tolerances tolerances, List<Pod> pods) {
        if (currentReplicas != 0) {
            if (tolerances.isWithin(usageRatio)) {
                return currentReplicas;
            }
            double replicaCount = usageRatio * getReadyPodsCount(pods);
            return replicaCount > Integer.MAX_VALUE ? Integer.MAX_VALUE : ceilToInt(replicaCount);
        }
        return ceilToInt(usageRatio);
    }

    // GetObjectPerPodMetricReplicas: an Object metric with an AverageValue target (total ÷ target, from status replicas).
    public PlainReplicas getObjectPerPodMetricReplicas(int statusReplicas, long targetAverageUsageMilli,
                                                       long usageMilli, Tolerances tolerances) {
        int replicaCount = statusReplicas;
        double usageRatio = usageMilli / ((double) targetAverageUsageMilli * replicaCount);
        if (!tolerances.isWithin(usageRatio)) {
            replicaCount = ceilToInt((double) usageMilli / (double) targetAverageUsageMilli);
        }
        long averageUsage = (long) Math.ceil((double) usageMilli / (double) statusReplicas);
        return new PlainReplicas(replicaCount, averageUsage);
    }

    // getReadyPodsCount: running pods whose Ready condition is True.
    private static int getReadyPodsCount(List<Pod> pods) {
        if (pods.isEmpty()) {
            throw new ReplicaCalculationException("unable to calculate ready pods: no pods returned by selector while "
                    + "calculating replica count");
        }
        int ready = 0;
        for (Pod pod : pods) {
            if (pod.phase() == PodPhase.RUNNING
                    && pod.ready().map(c -> c.status() == ConditionStatus.TRUE).orElse(false)) {
                ready++;
            }
        }
        return ready;
    }

    // GetExternalMetricReplicas: an External metric with a Value target (the sum of its series).
    public PlainReplicas getExternalMetricReplicas(int currentReplicas, long targetUsageMilli, List<Long> values,
                                                   Tolerances tolerances, List<Pod> pods) {
        long usage = sumCapped(values);
        double usageRatio = (double) usage / (double) targetUsageMilli;
        return new PlainReplicas(getUsageRatioReplicaCount(currentReplicas, usageRatio, tolerances, pods), usage);
    }

    // GetExternalPerPodMetricReplicas: an External metric with an AverageValue target.
    public PlainReplicas getExternalPerPodMetricReplicas(int statusReplicas, long targetUsagePerPodMilli,
                                                         List<Long> values, Tolerances tolerances) {
        long usage = sumCapped(values);
        int replicaCount = statusReplicas;
        double usageRatio = usage / ((double) targetUsagePerPodMilli * replicaCount);
        if (!tolerances.isWithin(usageRatio)) {
            double result = Math.ceil((double) usage / (double) targetUsagePerPodMilli);
            replicaCount = result > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) result;
        }
        long averageUsage = usage == Long.MAX_VALUE ? Long.MAX_VALUE
                : (long) Math.ceil((double) usage / (double) statusReplicas);
        return new PlainReplicas(replicaCount, averageUsage);
    }

    private static long sumCapped(List<Long> values) {
        long usage = 0;
        for (long value : values) {
            if (value > 0 && usage > Long.MAX_VALUE - value) {
                return Long.MAX_VALUE;
            }
            usage += value;
        }
        return usage;
    }

    // groupPods: ready count; unready (pending, or cpu not yet trustworthy); missing (no sample); ignored (deleted, failed).
    PodGroups groupPods(List<Pod> pods, Map<String, PodMetric> metrics, String resource, Instant now) {
        int readyPodCount = 0;
        Set<String> unready = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        Set<String> ignored = new LinkedHashSet<>();
        for (Pod pod : pods) {
            if (pod.deleting() || pod.phase() == PodPhase.FAILED) {
                ignored.add(pod.name());
                continue;
            }
            if (pod.phase() == PodPhase.PENDING) {
                unready.add(pod.name());
                continue;
            }
            PodMetric metric = metrics.get(pod.name());
            if (metric == null) {
                missing.add(pod.name());
                continue;
            }
            if (CPU.equals(resource)) {
                boolean isUnready;
                if (pod.ready().isEmpty() || pod.startTime().isEmpty()) {
                    isUnready = true;
                } else {
                    Pod.ReadyCondition condition = pod.ready().get();
                    Instant start = pod.startTime().get();
                    if (start.plus(settings.cpuInitializationPeriod()).isAfter(now)) {
                        // within the cpu initialization period: trust only a Ready pod whose sample window began after it turned Ready
                        isUnready = condition.status() == ConditionStatus.FALSE
                                || metric.timestamp().isBefore(condition.lastTransitionTime().plus(metric.window()));
                    } else {
                        // after it: ignore only a pod unready that has never been ready
                        isUnready = condition.status() == ConditionStatus.FALSE
                                && start.plus(settings.initialReadinessDelay()).isAfter(condition.lastTransitionTime());
                    }
                }
                if (isUnready) {
                    unready.add(pod.name());
                    continue;
                }
            }
            readyPodCount++;
        }
        return new PodGroups(readyPodCount, unready, missing, ignored);
    }

    // calculateRequests: per pod, the named container's request, or pod-level requests, or the sum over containers and sidecars.
    static Map<String, Long> calculateRequests(List<Pod> pods, String container, String resource) {
        Map<String, Long> requests = new HashMap<>();
        for (Pod pod : pods) {
            long request;
            if (!pod.podRequestsMilli().isEmpty() && container.isEmpty()) {
                Long podRequest = pod.podRequestsMilli().get(resource);
                if (podRequest == null) {
                    throw new ReplicaCalculationException("missing pod-level request for " + resource + " in Pod "
                            + pod.name());
                }
                request = podRequest;
            } else {
                request = calculatePodRequestsFromContainers(pod, container, resource);
            }
            requests.put(pod.name(), request);
        }
        return requests;
    }

    // calculatePodRequestsFromContainers
    private static long calculatePodRequestsFromContainers(Pod pod, String container, String resource) {
        long request = 0;
        List<Pod.Container> counted = pod.containers().stream()
                .filter(c -> !c.restartableInit()).toList();
        List<Pod.Container> sidecars = pod.containers().stream().filter(Pod.Container::restartableInit).toList();
        for (Pod.Container c : concat(counted, sidecars)) {
            if (container.isEmpty() || container.equals(c.name())) {
                Long containerRequest = c.requestsMilli().get(resource);
                if (containerRequest == null) {
                    throw new ReplicaCalculationException("missing request for " + resource + " in container "
                            + c.name() + " of Pod " + pod.name());
                }
                request += containerRequest;
            }
            if (container.equals(c.name())) {
                return request;
            }
        }
        if (!container.isEmpty()) {
            throw new ReplicaCalculationException("container " + container + " not found in Pod " + pod.name());
        }
        return request;
    }

    private static List<Pod.Container> concat(List<Pod.Container> a, List<Pod.Container> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    record UtilizationRatio(double ratio, int utilization, long rawAverage) {
    }

    record UsageRatio(double ratio, long usage) {
    }

    // metrics.GetResourceUtilizationRatio: whole-percent utilization (integer division), as upstream rounds it.
    static UtilizationRatio getResourceUtilizationRatio(Map<String, PodMetric> metrics, Map<String, Long> requests,
                                                        int targetUtilization) {
        long metricsTotal = 0;
        long requestsTotal = 0;
        int numEntries = 0;
        for (Map.Entry<String, PodMetric> e : metrics.entrySet()) {
            Long request = requests.get(e.getKey());
            if (request == null) {
                continue; // a sample for a pod the target does not have
            }
            metricsTotal = saturatedAdd(metricsTotal, e.getValue().valueMilli());
            requestsTotal = saturatedAdd(requestsTotal, request);
            numEntries++;
        }
        if (requestsTotal == 0) {
            throw new ReplicaCalculationException("no metrics returned matched known pods");
        }
        long percentage = java.math.BigInteger.valueOf(metricsTotal).multiply(java.math.BigInteger.valueOf(100))
                .divide(java.math.BigInteger.valueOf(requestsTotal))
                .min(java.math.BigInteger.valueOf(Integer.MAX_VALUE))
                .max(java.math.BigInteger.valueOf(Integer.MIN_VALUE)).longValue();
        int currentUtilization = (int) percentage;
        return new UtilizationRatio((double) currentUtilization / (double) targetUtilization, currentUtilization,
                metricsTotal / numEntries);
    }

    // metrics.GetMetricUsageRatio: the average per pod (integer division) over the target.
    static UsageRatio getMetricUsageRatio(Map<String, PodMetric> metrics, long targetUsage) {
        long metricsTotal = 0;
        for (PodMetric metric : metrics.values()) {
            metricsTotal = saturatedAdd(metricsTotal, metric.valueMilli());
        }
        long currentUsage = metricsTotal / metrics.size();
        return new UsageRatio((double) currentUsage / (double) targetUsage, currentUsage);
    }

    private Map<String, PodMetric> resourceMetrics(String resource, Map<String, PodMetric> readings) {
        if (readings.isEmpty()) {
            // the resource metrics client's own check
            throw new ReplicaCalculationException("unable to get metrics for resource " + resource
                    + ": no metrics returned from resource metrics API");
        }
        return new LinkedHashMap<>(readings);
    }

    private static PodMetric synthetic(long valueMilli) {
        return new PodMetric(valueMilli, Instant.EPOCH, java.time.Duration.ZERO);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return sum < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return sum;
    }

    // Go's int32(math.Ceil(x)); Java's cast saturates where Go's is implementation-defined.
    private static int ceilToInt(double value) {
        return (int) Math.ceil(value);
    }
}
