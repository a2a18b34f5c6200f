package io.rwautoscaler.core.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.IntBinaryOperator;

/**
 * Port of upstream's {@code HorizontalController} decision path ({@code horizontal.go}: {@code reconcileAutoscaler}
 * without the API calls): the max over the metrics, then min/max and either the legacy normalization or the
 * {@code behavior} one (stabilization windows, rate policies), then the scale event it records.
 *
 * <p>Call {@link #sync} once per sync period (upstream: {@code --horizontal-pod-autoscaler-sync-period}, 15 s)
 * with the time of the sync, and keep the returned {@link HpaDecision#history()} for the next call.
 */
public final class HpaController {

    // scaleUpLimitFactor, scaleUpLimitMinimum: the legacy (no behavior) scale-up limit is max(2 × current, 4).
    static final double SCALE_UP_LIMIT_FACTOR = 2.0;
    static final double SCALE_UP_LIMIT_MINIMUM = 4.0;

    private final ControllerSettings settings;
    private final ReplicaCalculator calculator;

    public HpaController(ControllerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.calculator = new ReplicaCalculator(settings);
    }

    public ControllerSettings settings() {
        return settings;
    }

    /** The controller's memory for one HPA during a sync: mutable copies of {@link HpaHistory}'s lists. */
    static final class State {
        boolean initialized;
        final List<Recommendation> recommendations;
        final List<ScaleEvent> scaleUpEvents;
        final List<ScaleEvent> scaleDownEvents;

        State(HpaHistory history) {
            initialized = history.initialized();
            recommendations = new ArrayList<>(history.recommendations());
            scaleUpEvents = new ArrayList<>(history.scaleUpEvents());
            scaleDownEvents = new ArrayList<>(history.scaleDownEvents());
        }

        HpaHistory toHistory() {
            return new HpaHistory(initialized, recommendations, scaleUpEvents, scaleDownEvents);
        }
    }

    /** Conditions by type in the order first set, replaced in place as upstream's {@code setCondition} does. */
    private static final class Conditions {
        private final Map<ConditionType, HpaCondition> byType = new LinkedHashMap<>();

        void set(ConditionReason reason, boolean status, String message) {
            byType.put(reason.type(), new HpaCondition(reason, status, message));
        }

        void set(HpaCondition condition) {
            byType.put(condition.type(), condition);
        }

        List<HpaCondition> list() {
            return List.copyOf(byType.values());
        }
    }

    // reconcileAutoscaler, from "the scale was read" to "the scale was updated and the event stored".
    public HpaDecision sync(HpaSpec spec, Scale scale, List<Pod> pods, MetricReadings readings, HpaHistory history,
                            Instant now) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(pods, "pods");
        Objects.requireNonNull(readings, "readings");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(now, "now");

        Conditions conditions = new Conditions();
        conditions.set(ConditionReason.SUCCEEDED_GET_SCALE, true, "the HPA controller was able to get the target's current scale");
        int currentReplicas = scale.specReplicas();
        State state = new State(history);
        recordInitialRecommendation(state, currentReplicas, now);

        int minReplicas = spec.minReplicas();
        int desiredReplicas = 0;
        String rescaleReason = "";
        boolean rescale = true;
        OptionalInt metricDesired = OptionalInt.empty();
        List<MetricStatus> statuses = List.of();
        Optional<ConditionReason> stabilization = Optional.empty();
        Optional<String> error = Optional.empty();

        if (currentReplicas == 0 && minReplicas != 0) {
            // autoscaling is disabled for a target scaled to zero by hand
            desiredReplicas = 0;
            rescale = false;
            conditions.set(ConditionReason.SCALING_DISABLED, false,
                    "scaling is disabled since the replica count of the target is zero");
        } else if (currentReplicas > spec.maxReplicas()) {
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
            desiredReplicas = spec.maxReplicas();
        } else if (currentReplicas < minReplicas) {
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
            desiredReplicas = minReplicas;
        } else {
            MetricsOutcome outcome = computeReplicasForMetrics(spec, scale, pods, readings, tolerances(spec), now,
                    conditions);
            statuses = outcome.statuses();
            if (outcome.replicas() == -1) {
                // upstream returns here: no scale, no recommendation recorded, the error reported as an event
                return new HpaDecision(currentReplicas, currentReplicas, false, "", OptionalInt.empty(), statuses,
                        Optional.empty(), conditions.list(), outcome.error(), state.toHistory());
            }
            error = outcome.error();
            metricDesired = OptionalInt.of(outcome.replicas());
            String rescaleMetric = "";
            if (outcome.replicas() > desiredReplicas) {
                desiredReplicas = outcome.replicas();
                rescaleMetric = outcome.metricName();
            }
            if (desiredReplicas > currentReplicas) {
                rescaleReason = rescaleMetric + " above target";
            }
            if (desiredReplicas < currentReplicas) {
                rescaleReason = "All metrics below target";
            }
            if (spec.behavior().isEmpty()) {
                desiredReplicas = normalizeDesiredReplicas(spec, state, currentReplicas, desiredReplicas, minReplicas,
                        now, conditions);
            } else {
                desiredReplicas = normalizeDesiredReplicasWithBehaviors(spec.behavior().get(), spec.maxReplicas(), state,
                        currentReplicas, desiredReplicas, minReplicas, now, conditions);
            }
            stabilization = Optional.of(conditions.byType.get(ConditionType.ABLE_TO_SCALE).reason());
            rescale = desiredReplicas != currentReplicas;
        }

        if (rescale) {
            conditions.set(ConditionReason.SUCCEEDED_RESCALE, true,
                    "the HPA controller was able to update the target scale to " + desiredReplicas);
            storeScaleEvent(spec.behavior(), state, currentReplicas, desiredReplicas, now);
        } else {
            desiredReplicas = currentReplicas;
        }
        return new HpaDecision(currentReplicas, desiredReplicas, rescale, rescale ? rescaleReason : "", metricDesired,
                statuses, stabilization, conditions.list(), error, state.toHistory());
    }

    // recordInitialRecommendation
    private static void recordInitialRecommendation(State state, int currentReplicas, Instant now) {
        if (!state.initialized) {
            state.initialized = true;
            state.recommendations.add(new Recommendation(currentReplicas, now));
        }
    }

    // The controller-wide tolerance, overridden per direction by behavior.scale{Up,Down}.tolerance (1.33+).
    Tolerances tolerances(HpaSpec spec) {
        double down = settings.tolerance();
        double up = settings.tolerance();
        if (spec.behavior().isPresent()) {
            Behavior behavior = spec.behavior().get();
            down = behavior.scaleDown().tolerance().orElse(down);
            up = behavior.scaleUp().tolerance().orElse(up);
        }
        return new Tolerances(down, up);
    }

    record MetricsOutcome(int replicas, String metricName, List<MetricStatus> statuses, Optional<String> error) {
    }

    // computeReplicasForMetrics: the max over the valid metrics; no decision when all are invalid, or when some are
    // invalid and the valid ones would scale down (a missing metric must not let the others shrink the target).
    MetricsOutcome computeReplicasForMetrics(HpaSpec spec, Scale scale, List<Pod> pods, MetricReadings readings,
                                             Tolerances tolerances, Instant now, Conditions conditions) {
        int replicas = 0;
        String metric = "";
        List<MetricStatus> statuses = new ArrayList<>();
        int invalidMetricsCount = 0;
        String invalidMetricError = null;
        HpaCondition invalidMetricCondition = null;
        for (MetricSpec metricSpec : spec.metrics()) {
            Computed computed = computeReplicasForMetric(metricSpec, scale, pods, readings, tolerances, now);
            MetricStatus status = computed.status();
            statuses.add(status);
            if (!status.valid()) {
                if (invalidMetricsCount <= 0) {
                    invalidMetricCondition = new HpaCondition(status.failure().get(), false,
                            "the HPA was unable to compute the replica count: " + computed.conditionError());
                    invalidMetricError = status.error().get();
                }
                invalidMetricsCount++;
                continue;
            }
            int proposal = status.replicaProposal().getAsInt();
            if (replicas == 0 || proposal > replicas) {
                replicas = proposal;
                metric = status.name();
            }
        }
        Optional<String> error = Optional.empty();
        if (invalidMetricError != null) {
            error = Optional.of("invalid metrics (" + invalidMetricsCount + " invalid out of " + spec.metrics().size()
                    + "), first error is: " + invalidMetricError);
        }
        if (invalidMetricsCount >= spec.metrics().size() || (invalidMetricsCount > 0 && replicas < scale.specReplicas())) {
            conditions.set(invalidMetricCondition);
            return new MetricsOutcome(-1, "", statuses, error);
        }
        conditions.set(ConditionReason.VALID_METRIC_FOUND, true,
                "the HPA was able to successfully calculate a replica count from " + metric);
        return new MetricsOutcome(replicas, metric, statuses, error);
    }

    /** A metric failure: the condition quotes the inner error, the sync error and the status the outer one. */
    private record Failure(ConditionReason reason, String inner, String outer) {
    }

    /** One metric's status, with the inner error text its ScalingActive condition would quote. */
    record Computed(MetricStatus status, String conditionError) {
    }

    private static Computed failed(MetricSpec spec, Failure failure) {
        return new Computed(MetricStatus.failed(spec, failure.reason(), failure.outer()), failure.inner());
    }

    private static Computed ok(MetricStatus status) {
        return new Computed(status, "");
    }

    // computeReplicasForMetric: one metric source's proposal, or the condition saying why there is none.
    Computed computeReplicasForMetric(MetricSpec spec, Scale scale, List<Pod> pods, MetricReadings readings,
                                      Tolerances tolerances, Instant now) {
        if (spec instanceof MetricSpec.ObjectMetric object) {
            return objectMetric(object, scale, pods, readings, tolerances);
        } else if (spec instanceof MetricSpec.Pods podsMetric) {
            return podsMetric(podsMetric, scale, pods, readings, tolerances, now);
        } else if (spec instanceof MetricSpec.Resource resource) {
            return resourceMetric(spec, resource.name(), Optional.empty(), resource.target(), scale, pods, readings,
                    tolerances, now);
        } else if (spec instanceof MetricSpec.ContainerResource container) {
            return resourceMetric(spec, container.name(), Optional.of(container.container()), container.target(), scale,
                    pods, readings, tolerances, now);
        } else if (spec instanceof MetricSpec.External external) {
            return externalMetric(external, scale, pods, readings, tolerances);
        }
        String err = "unknown metric source type \"" + spec.type() + "\"";
        return failed(spec, new Failure(ConditionReason.INVALID_METRIC_SOURCE_TYPE, err, err));
    }

    // computeStatusForObjectMetric
    private Computed objectMetric(MetricSpec.ObjectMetric spec, Scale scale, List<Pod> pods, MetricReadings readings,
                                      Tolerances tolerances) {
        MetricTarget target = spec.target();
        try {
            if (target.type() == TargetType.VALUE && target.valueMilli().isPresent()) {
                long usage = readObject(spec, readings);
                ReplicaCalculator.PlainReplicas proposal = calculator.getObjectMetricReplicas(scale.specReplicas(),
                        target.valueMilli().getAsLong(), usage, tolerances, pods);
                return ok(valueStatus(spec, spec.describedObject().kind() + " metric " + spec.metricName(), proposal));
            } else if (target.type() == TargetType.AVERAGE_VALUE && target.averageValueMilli().isPresent()) {
                long usage;
                try {
                    usage = readObject(spec, readings);
                } catch (ReplicaCalculationException e) {
                    throw new ReplicaCalculationException("failed to get " + spec.metricName() + " object metric: "
                            + e.getMessage());
                }
                ReplicaCalculator.PlainReplicas proposal = calculator.getObjectPerPodMetricReplicas(scale.statusReplicas(),
                        target.averageValueMilli().getAsLong(), usage, tolerances);
                return ok(averageValueStatus(spec, "external metric " + spec.metricName() + "(" + describe(spec.selector())
                        + ")", proposal));
            }
            throw new ReplicaCalculationException(
                    "invalid object metric source: neither a value target nor an average value target was set");
        } catch (ReplicaCalculationException e) {
            return failed(spec, new Failure(ConditionReason.FAILED_GET_OBJECT_METRIC, e.getMessage(),
                    "failed to get object metric value: " + e.getMessage()));
        }
    }

    private static long readObject(MetricSpec.ObjectMetric spec, MetricReadings readings) {
        try {
            return readings.object(spec.describedObject(), spec.metricName(), spec.selector());
        } catch (MetricUnavailableException e) {
            throw new ReplicaCalculationException("unable to get metric " + spec.metricName() + " on "
                    + spec.describedObject().kind() + " " + spec.describedObject().name() + ": " + e.getMessage());
        }
    }

    // computeStatusForPodsMetric
    private Computed podsMetric(MetricSpec.Pods spec, Scale scale, List<Pod> pods, MetricReadings readings,
                                    Tolerances tolerances, Instant now) {
        try {
            if (spec.target().averageValueMilli().isEmpty()) {
                throw new ReplicaCalculationException("invalid pods metric source: no average value target was set");
            }
            Map<String, PodMetric> values;
            try {
                values = readings.pods(spec.metricName(), spec.selector());
            } catch (MetricUnavailableException e) {
                throw new ReplicaCalculationException("unable to get metric " + spec.metricName() + ": " + e.getMessage());
            }
            ReplicaCalculator.PlainReplicas proposal = calculator.getMetricReplicas(scale.specReplicas(),
                    spec.target().averageValueMilli().getAsLong(), spec.metricName(), tolerances, pods, values, now);
            return ok(averageValueStatus(spec, "pods metric " + spec.metricName(), proposal));
        } catch (ReplicaCalculationException e) {
            return failed(spec, new Failure(ConditionReason.FAILED_GET_PODS_METRIC, e.getMessage(),
                    "failed to get pods metric value: " + e.getMessage()));
        }
    }

    // computeStatusForResourceMetric, computeStatusForContainerResourceMetric and their shared ...Generic
    private Computed resourceMetric(MetricSpec spec, String resource, Optional<String> container, MetricTarget target,
                                        Scale scale, List<Pod> pods, MetricReadings readings, Tolerances tolerances,
                                        Instant now) {
        ConditionReason reason = container.isPresent() ? ConditionReason.FAILED_GET_CONTAINER_RESOURCE_METRIC
                : ConditionReason.FAILED_GET_RESOURCE_METRIC;
        String outerPrefix = container.map(c -> "failed to get " + c + " container metric value: ")
                .orElse("failed to get " + resource + " resource metric value: ");
        try {
            if (target.averageValueMilli().isPresent()) {
                ReplicaCalculator.PlainReplicas proposal;
                try {
                    proposal = calculator.getRawResourceReplicas(scale.specReplicas(),
                            target.averageValueMilli().getAsLong(), resource, tolerances, pods,
                            readResource(resource, container, readings), now);
                } catch (ReplicaCalculationException e) {
                    throw new ReplicaCalculationException("failed to get " + resource + " usage: " + e.getMessage());
                }
                return ok(averageValueStatus(spec, resource + " resource", proposal));
            }
            if (target.averageUtilization().isEmpty()) {
                throw new ReplicaCalculationException("invalid resource metric source: neither an average utilization "
                        + "target nor an average value (usage) target was set");
            }
            ReplicaCalculator.ResourceReplicas proposal;
            try {
                proposal = calculator.getResourceReplicas(scale.specReplicas(), target.averageUtilization().getAsInt(),
                        resource, tolerances, container, pods, readResource(resource, container, readings), now);
            } catch (ReplicaCalculationException e) {
                throw new ReplicaCalculationException("failed to get " + resource + " utilization: " + e.getMessage());
            }
            String name = container.isPresent() ? resource + " container resource utilization (percentage of request)"
                    : resource + " resource utilization (percentage of request)";
            return ok(new MetricStatus(spec, name, OptionalInt.of(proposal.replicas()),
                    OptionalInt.of(proposal.utilization()), OptionalLong.of(proposal.rawAverageMilli()), OptionalLong.empty(),
                    Optional.empty(), Optional.empty()));
        } catch (ReplicaCalculationException e) {
            return failed(spec, new Failure(reason, e.getMessage(), outerPrefix + e.getMessage()));
        }
    }

    private static Map<String, PodMetric> readResource(String resource, Optional<String> container,
                                                       MetricReadings readings) {
        try {
            return readings.resource(resource, container);
        } catch (MetricUnavailableException e) {
            throw new ReplicaCalculationException("unable to get metrics for resource " + resource + ": " + e.getMessage());
        }
    }

    // computeStatusForExternalMetric: AverageValue wins when both are set (validation forbids both).
    private Computed externalMetric(MetricSpec.External spec, Scale scale, List<Pod> pods, MetricReadings readings,
                                        Tolerances tolerances) {
        MetricTarget target = spec.target();
        String name = "external metric " + spec.metricName() + "(" + describe(spec.selector()) + ")";
        try {
            if (target.averageValueMilli().isPresent()) {
                List<Long> values;
                try {
                    values = readExternal(spec, readings);
                } catch (ReplicaCalculationException e) {
                    throw new ReplicaCalculationException("failed to get " + spec.metricName() + " external metric: "
                            + e.getMessage());
                }
                return ok(averageValueStatus(spec, name, calculator.getExternalPerPodMetricReplicas(scale.statusReplicas(),
                        target.averageValueMilli().getAsLong(), values, tolerances)));
            }
            if (target.valueMilli().isPresent()) {
                List<Long> values;
                try {
                    values = readExternal(spec, readings);
                } catch (ReplicaCalculationException e) {
                    throw new ReplicaCalculationException("failed to get external metric " + spec.metricName() + ": "
                            + e.getMessage());
                }
                return ok(valueStatus(spec, name, calculator.getExternalMetricReplicas(scale.specReplicas(),
                        target.valueMilli().getAsLong(), values, tolerances, pods)));
            }
            throw new ReplicaCalculationException(
                    "invalid external metric source: neither a value target nor an average value target was set");
        } catch (ReplicaCalculationException e) {
            return failed(spec, new Failure(ConditionReason.FAILED_GET_EXTERNAL_METRIC, e.getMessage(),
                    "failed to get " + spec.metricName() + " external metric value: " + e.getMessage()));
        }
    }

    private static List<Long> readExternal(MetricSpec.External spec, MetricReadings readings) {
        try {
            return readings.external(spec.metricName(), spec.selector());
        } catch (MetricUnavailableException e) {
            throw new ReplicaCalculationException("unable to get external metric " + spec.metricName() + "/"
                    + describe(spec.selector()) + ": " + e.getMessage());
        }
    }

    private static String describe(Optional<MetricSelector> selector) {
        return selector.map(MetricSelector::toString).orElse("<nil>");
    }

    private static MetricStatus valueStatus(MetricSpec spec, String name, ReplicaCalculator.PlainReplicas proposal) {
        return new MetricStatus(spec, name, OptionalInt.of(proposal.replicas()), OptionalInt.empty(), OptionalLong.empty(),
                OptionalLong.of(proposal.usageMilli()), Optional.empty(), Optional.empty());
    }

    private static MetricStatus averageValueStatus(MetricSpec spec, String name, ReplicaCalculator.PlainReplicas proposal) {
        return new MetricStatus(spec, name, OptionalInt.of(proposal.replicas()), OptionalInt.empty(),
                OptionalLong.of(proposal.usageMilli()), OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    // ---- normalization without behavior ----

    // normalizeDesiredReplicas
    private int normalizeDesiredReplicas(HpaSpec spec, State state, int currentReplicas, int prenormalizedDesiredReplicas,
                                         int minReplicas, Instant now, Conditions conditions) {
        int stabilizedRecommendation = stabilizeRecommendation(state.recommendations, prenormalizedDesiredReplicas,
                settings.downscaleStabilizationWindow(), now);
        if (stabilizedRecommendation != prenormalizedDesiredReplicas) {
            conditions.set(ConditionReason.SCALE_DOWN_STABILIZED, true,
                    "recent recommendations were higher than current one, applying the highest recent recommendation");
        } else {
            conditions.set(ConditionReason.READY_FOR_NEW_SCALE, true, "recommended size matches current size");
        }
        Limited limited = convertDesiredReplicasWithRules(currentReplicas, stabilizedRecommendation, minReplicas,
                spec.maxReplicas());
        conditions.set(limited.reason(), limited.replicas() != stabilizedRecommendation, limited.message());
        return limited.replicas();
    }

    // stabilizeRecommendation: the max over the window (scale-down stabilization only); one old slot is reused.
    static int stabilizeRecommendation(List<Recommendation> recommendations, int prenormalizedDesiredReplicas,
                                       Duration window, Instant now) {
        int maxRecommendation = prenormalizedDesiredReplicas;
        boolean foundOldSample = false;
        int oldSampleIndex = 0;
        Instant cutoff = now.minus(window);
        for (int i = 0; i < recommendations.size(); i++) {
            Recommendation rec = recommendations.get(i);
            if (rec.at().isBefore(cutoff)) {
                foundOldSample = true;
                oldSampleIndex = i;
            } else if (rec.replicas() > maxRecommendation) {
                maxRecommendation = rec.replicas();
            }
        }
        Recommendation recorded = new Recommendation(prenormalizedDesiredReplicas, now);
        if (foundOldSample) {
            recommendations.set(oldSampleIndex, recorded);
        } else {
            recommendations.add(recorded);
        }
        return maxRecommendation;
    }

    /** A normalized count and the ScalingLimited (or AbleToScale) reason and message upstream gives it. */
    record Limited(int replicas, ConditionReason reason, String message) {
    }

    // convertDesiredReplicasWithRules: min/max, and scale-up at most to max(2 × current, 4).
    static Limited convertDesiredReplicasWithRules(int currentReplicas, int desiredReplicas, int hpaMinReplicas,
                                                   int hpaMaxReplicas) {
        int minimumAllowedReplicas = hpaMinReplicas;
        int maximumAllowedReplicas;
        ConditionReason possibleLimitingCondition;
        String possibleLimitingReason;
        int scaleUpLimit = calculateScaleUpLimit(currentReplicas);
        if (hpaMaxReplicas > scaleUpLimit) {
            maximumAllowedReplicas = scaleUpLimit;
            possibleLimitingCondition = ConditionReason.SCALE_UP_LIMIT;
            possibleLimitingReason = "the desired replica count is increasing faster than the maximum scale rate";
        } else {
            maximumAllowedReplicas = hpaMaxReplicas;
            possibleLimitingCondition = ConditionReason.TOO_MANY_REPLICAS;
            possibleLimitingReason = "the desired replica count is more than the maximum replica count";
        }
        if (desiredReplicas < minimumAllowedReplicas) {
            return new Limited(minimumAllowedReplicas, ConditionReason.TOO_FEW_REPLICAS,
                    "the desired replica count is less than the minimum replica count");
        } else if (desiredReplicas > maximumAllowedReplicas) {
            return new Limited(maximumAllowedReplicas, possibleLimitingCondition, possibleLimitingReason);
        }
        return new Limited(desiredReplicas, ConditionReason.DESIRED_WITHIN_RANGE,
                "the desired count is within the acceptable range");
    }

    // calculateScaleUpLimit
    static int calculateScaleUpLimit(int currentReplicas) {
        return (int) Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM);
    }

    // ---- normalization with behavior ----

    /** Upstream's {@code NormalizationArg}. */
    record NormalizationArg(ScalingRules scaleUpBehavior, ScalingRules scaleDownBehavior, int minReplicas,
                            int maxReplicas, int currentReplicas, int desiredReplicas) {
        NormalizationArg withDesired(int desired) {
            return new NormalizationArg(scaleUpBehavior, scaleDownBehavior, minReplicas, maxReplicas, currentReplicas,
                    desired);
        }
    }

    // normalizeDesiredReplicasWithBehaviors: stabilize, then limit by the rate policies and min/max.
    private int normalizeDesiredReplicasWithBehaviors(Behavior behavior, int maxReplicas, State state, int currentReplicas,
                                                      int prenormalizedDesiredReplicas, int minReplicas, Instant now,
                                                      Conditions conditions) {
        ScalingRules scaleDown = behavior.scaleDown();
        if (scaleDown.stabilizationWindowSeconds().isEmpty()) {
            // maybeInitScaleDownStabilizationWindow
            scaleDown = scaleDown.withStabilizationWindowSeconds((int) settings.downscaleStabilizationWindow().toSeconds());
        }
        NormalizationArg arg = new NormalizationArg(behavior.scaleUp(), scaleDown, minReplicas, maxReplicas,
                currentReplicas, prenormalizedDesiredReplicas);
        Limited stabilized = stabilizeRecommendationWithBehaviors(state.recommendations, arg, now);
        if (stabilized.replicas() != prenormalizedDesiredReplicas) {
            conditions.set(stabilized.reason(), true, stabilized.message());
        } else {
            conditions.set(ConditionReason.READY_FOR_NEW_SCALE, true, "recommended size matches current size");
        }
        Limited limited = convertDesiredReplicasWithBehaviorRate(arg.withDesired(stabilized.replicas()),
                state.scaleUpEvents, state.scaleDownEvents, now);
        conditions.set(limited.reason(), limited.replicas() != stabilized.replicas(), limited.message());
        return limited.replicas();
    }

    // stabilizeRecommendationWithBehaviors: within [min over the up window, max over the down window], starting from
    // the current count; records the unstabilized recommendation, reusing a slot older than both windows.
    static Limited stabilizeRecommendationWithBehaviors(List<Recommendation> recommendations, NormalizationArg args,
                                                        Instant now) {
        boolean foundOldSample = false;
        int oldSampleIndex = 0;
        int upRecommendation = args.desiredReplicas();
        Instant upCutoff = now.minusSeconds(args.scaleUpBehavior().stabilizationWindowSeconds().orElseThrow());
        int downRecommendation = args.desiredReplicas();
        Instant downCutoff = now.minusSeconds(args.scaleDownBehavior().stabilizationWindowSeconds().orElseThrow());
        for (int i = 0; i < recommendations.size(); i++) {
            Recommendation rec = recommendations.get(i);
            if (rec.at().isAfter(upCutoff)) {
                upRecommendation = Math.min(rec.replicas(), upRecommendation);
            }
            if (rec.at().isAfter(downCutoff)) {
                downRecommendation = Math.max(rec.replicas(), downRecommendation);
            }
            if (rec.at().isBefore(upCutoff) && rec.at().isBefore(downCutoff)) {
                foundOldSample = true;
                oldSampleIndex = i;
            }
        }
        int recommendation = args.currentReplicas();
        if (recommendation < upRecommendation) {
            recommendation = upRecommendation;
        }
        if (recommendation > downRecommendation) {
            recommendation = downRecommendation;
        }
        Recommendation recorded = new Recommendation(args.desiredReplicas(), now);
        if (foundOldSample) {
            recommendations.set(oldSampleIndex, recorded);
        } else {
            recommendations.add(recorded);
        }
        if (args.desiredReplicas() >= args.currentReplicas()) {
            return new Limited(recommendation, ConditionReason.SCALE_UP_STABILIZED,
                    "recent recommendations were lower than current one, applying the lowest recent recommendation");
        }
        return new Limited(recommendation, ConditionReason.SCALE_DOWN_STABILIZED,
                "recent recommendations were higher than current one, applying the highest recent recommendation");
    }

    // convertDesiredReplicasWithBehaviorRate: the rate policies' limit (never past current: a limit below the current
    // count, possible after the policies changed, holds the count instead of reversing), then min/max.
    static Limited convertDesiredReplicasWithBehaviorRate(NormalizationArg args, List<ScaleEvent> scaleUpEvents,
                                                          List<ScaleEvent> scaleDownEvents, Instant now) {
        if (args.desiredReplicas() > args.currentReplicas()) {
            int scaleUpLimit = calculateScaleUpLimitWithScalingRules(args.currentReplicas(), scaleUpEvents,
                    scaleDownEvents, args.scaleUpBehavior(), now);
            if (scaleUpLimit < args.currentReplicas()) {
                scaleUpLimit = args.currentReplicas();
            }
            int maximumAllowedReplicas = args.maxReplicas();
            ConditionReason reason;
            String message;
            if (maximumAllowedReplicas > scaleUpLimit) {
                maximumAllowedReplicas = scaleUpLimit;
                reason = ConditionReason.SCALE_UP_LIMIT;
                message = "the desired replica count is increasing faster than the maximum scale rate";
            } else {
                reason = ConditionReason.TOO_MANY_REPLICAS;
                message = "the desired replica count is more than the maximum replica count";
            }
            if (args.desiredReplicas() > maximumAllowedReplicas) {
                return new Limited(maximumAllowedReplicas, reason, message);
            }
        } else if (args.desiredReplicas() < args.currentReplicas()) {
            int scaleDownLimit = calculateScaleDownLimitWithBehaviors(args.currentReplicas(), scaleUpEvents,
                    scaleDownEvents, args.scaleDownBehavior(), now);
            if (scaleDownLimit > args.currentReplicas()) {
                scaleDownLimit = args.currentReplicas();
            }
            int minimumAllowedReplicas = args.minReplicas();
            ConditionReason reason;
            String message;
            if (minimumAllowedReplicas < scaleDownLimit) {
                minimumAllowedReplicas = scaleDownLimit;
                reason = ConditionReason.SCALE_DOWN_LIMIT;
                message = "the desired replica count is decreasing faster than the maximum scale rate";
            } else {
                reason = ConditionReason.TOO_FEW_REPLICAS;
                message = "the desired replica count is less than the minimum replica count";
            }
            if (args.desiredReplicas() < minimumAllowedReplicas) {
                return new Limited(minimumAllowedReplicas, reason, message);
            }
        }
        return new Limited(args.desiredReplicas(), ConditionReason.DESIRED_WITHIN_RANGE,
                "the desired count is within the acceptable range");
    }

    // getReplicasChangePerPeriod: events strictly younger than the period count; one exactly periodSeconds old does
    // not, so with a 15 s sync and a 15 s policy each sync sees a fresh budget.
    static int getReplicasChangePerPeriod(int periodSeconds, List<ScaleEvent> scaleEvents, Instant now) {
        Instant cutoff = now.minusSeconds(periodSeconds);
        int replicas = 0;
        for (ScaleEvent event : scaleEvents) {
            if (event.at().isAfter(cutoff)) {
                replicas += event.replicaChange();
            }
        }
        return replicas;
    }

    // calculateScaleUpLimitWithScalingRules: per policy, from the count at the period's start (current − added +
    // removed within it); Percent rounds up so that a small target can always grow by one.
    static int calculateScaleUpLimitWithScalingRules(int currentReplicas, List<ScaleEvent> scaleUpEvents,
                                                     List<ScaleEvent> scaleDownEvents, ScalingRules scalingRules,
                                                     Instant now) {
        if (scalingRules.selectPolicy() == SelectPolicy.DISABLED) {
            return currentReplicas;
        }
        int result;
        IntBinaryOperator selectPolicyFn;
        if (scalingRules.selectPolicy() == SelectPolicy.MIN) {
            result = Integer.MAX_VALUE;
            selectPolicyFn = Math::min;
        } else {
            result = Integer.MIN_VALUE;
            selectPolicyFn = Math::max;
        }
        for (ScalingPolicy policy : scalingRules.policies()) {
            int replicasAddedInCurrentPeriod = getReplicasChangePerPeriod(policy.periodSeconds(), scaleUpEvents, now);
            int replicasDeletedInCurrentPeriod = getReplicasChangePerPeriod(policy.periodSeconds(), scaleDownEvents, now);
            int periodStartReplicas = currentReplicas - replicasAddedInCurrentPeriod + replicasDeletedInCurrentPeriod;
            int proposed = switch (policy.type()) {
                case PODS -> periodStartReplicas + policy.value();
                case PERCENT -> (int) Math.ceil(periodStartReplicas * (1 + policy.value() / 100.0));
            };
            result = selectPolicyFn.applyAsInt(result, proposed);
        }
        return result;
    }

    // calculateScaleDownLimitWithBehaviors: Percent truncates toward zero (Go's int32 conversion).
    static int calculateScaleDownLimitWithBehaviors(int currentReplicas, List<ScaleEvent> scaleUpEvents,
                                                    List<ScaleEvent> scaleDownEvents, ScalingRules scalingRules,
                                                    Instant now) {
        if (scalingRules.selectPolicy() == SelectPolicy.DISABLED) {
            return currentReplicas;
        }
        int result;
        IntBinaryOperator selectPolicyFn;
        if (scalingRules.selectPolicy() == SelectPolicy.MIN) {
            result = Integer.MIN_VALUE;
            selectPolicyFn = Math::max;
        } else {
            result = Integer.MAX_VALUE;
            selectPolicyFn = Math::min;
        }
        for (ScalingPolicy policy : scalingRules.policies()) {
            int replicasAddedInCurrentPeriod = getReplicasChangePerPeriod(policy.periodSeconds(), scaleUpEvents, now);
            int replicasDeletedInCurrentPeriod = getReplicasChangePerPeriod(policy.periodSeconds(), scaleDownEvents, now);
            int periodStartReplicas = currentReplicas - replicasAddedInCurrentPeriod + replicasDeletedInCurrentPeriod;
            int proposed = switch (policy.type()) {
                case PODS -> periodStartReplicas - policy.value();
                case PERCENT -> (int) (periodStartReplicas * (1 - policy.value() / 100.0));
            };
            result = selectPolicyFn.applyAsInt(result, proposed);
        }
        return result;
    }

    // storeScaleEvent: only with behavior (the legacy path has no rate policies to feed).
    static void storeScaleEvent(Optional<Behavior> behavior, State state, int prevReplicas, int newReplicas, Instant now) {
        if (behavior.isEmpty()) {
            return;
        }
        if (newReplicas > prevReplicas) {
            storeScaleEvent(state.scaleUpEvents, getLongestPolicyPeriod(behavior.get().scaleUp()),
                    newReplicas - prevReplicas, now);
        } else {
            storeScaleEvent(state.scaleDownEvents, getLongestPolicyPeriod(behavior.get().scaleDown()),
                    prevReplicas - newReplicas, now);
        }
    }

    static void storeScaleEvent(List<ScaleEvent> events, int longestPolicyPeriod, int replicaChange, Instant now) {
        markScaleEventsOutdated(events, longestPolicyPeriod, now);
        boolean foundOldSample = false;
        int oldSampleIndex = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).outdated()) {
                foundOldSample = true;
                oldSampleIndex = i;
            }
        }
        ScaleEvent newEvent = new ScaleEvent(replicaChange, now, false);
        if (foundOldSample) {
            events.set(oldSampleIndex, newEvent);
        } else {
            events.add(newEvent);
        }
    }

    // markScaleEventsOutdated
    static void markScaleEventsOutdated(List<ScaleEvent> events, int longestPolicyPeriod, Instant now) {
        Instant cutoff = now.minusSeconds(longestPolicyPeriod);
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).at().isBefore(cutoff)) {
                events.set(i, events.get(i).markedOutdated());
            }
        }
    }

    // getLongestPolicyPeriod
    static int getLongestPolicyPeriod(ScalingRules rules) {
        int longest = 0;
        for (ScalingPolicy policy : rules.policies()) {
            longest = Math.max(longest, policy.periodSeconds());
        }
        return longest;
    }
}
