package io.rwautoscaler.keda;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.rwautoscaler.config.KedaConfig;
import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.core.metrics.AggregateValue;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.keda.externalscaler.ExternalScaler;
import io.rwautoscaler.keda.externalscaler.GetMetricSpecResponse;
import io.rwautoscaler.keda.externalscaler.GetMetricsRequest;
import io.rwautoscaler.keda.externalscaler.GetMetricsResponse;
import io.rwautoscaler.keda.externalscaler.IsActiveResponse;
import io.rwautoscaler.keda.externalscaler.MetricSpec;
import io.rwautoscaler.keda.externalscaler.MetricValue;
import io.rwautoscaler.keda.externalscaler.ScaledObjectRef;
import io.rwautoscaler.metrics.MetricRuleSet;
import io.rwautoscaler.metrics.SnapshotHolder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * KEDA's external scaler ({@code externalscaler.proto}), answered from the same snapshot as the metrics APIs.
 * GetMetrics returns the aggregate over the selected series (for the queue: the agents' total); KEDA's HPA divides
 * it by the replicas (target type AverageValue), so desired replicas = ceil(total / targetValue), as the runbook's
 * {@code type: Pods} HPA computes from the per-receiver share. Bad metadata is INVALID_ARGUMENT, data older than
 * {@code autoscaler.metrics.max-staleness} (or none yet) UNAVAILABLE, no matching series NOT_FOUND.
 * StreamMetricSpec is left unimplemented: the spec only changes with the ScaledObject, and KEDA then falls back to
 * GetMetricSpec by itself.
 */
@GrpcService
public class KedaExternalScaler implements ExternalScaler {

    /** How often an open StreamIsActive looks for a new snapshot (a refresh publishes one every 15 s by default). */
    static final Duration STREAM_CHECK = Duration.ofSeconds(1);

    @Inject
    SnapshotHolder holder;
    @Inject
    MetricRuleSet rules;
    @Inject
    MetricsConfig metricsConfig;
    /** Looked up per call: the gRPC server builds this service early, and a bad receiver selector must stop start-up
     *  through the one configuration report, not as a gRPC start-up stack trace. */
    @Inject
    jakarta.inject.Provider<ReceiverFeed> feed;
    @Inject
    Clock clock;
    @Inject
    KedaConfig config;

    @Override
    public Uni<IsActiveResponse> isActive(ScaledObjectRef request) {
        return answer(() -> IsActiveResponse.newBuilder().setResult(active(request)).build());
    }

    @Override
    public Multi<IsActiveResponse> streamIsActive(ScaledObjectRef request) {
        ScalerMetadata meta;
        try {
            meta = metadata(request);
        } catch (StatusRuntimeException e) {
            return Multi.createFrom().failure(e);
        }
        // Emit at once, then whenever the answer changes; the value is computed once per snapshot, staleness checked
        // on every tick. A failure (UNAVAILABLE, ...) ends the stream, and KEDA reopens it with its back-off.
        ScalerMetadata m = meta;
        AtomicReference<Snapshot> seen = new AtomicReference<>();
        AtomicReference<Boolean> value = new AtomicReference<>();
        AtomicReference<Boolean> sent = new AtomicReference<>();
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(STREAM_CHECK)
                .onOverflow().drop()
                .map(tick -> {
                    Snapshot s = snapshot();
                    s.staleness(m.metricName(), clock.instant(), metricsConfig.maxStaleness()).ifPresent(why -> {
                        throw Status.UNAVAILABLE.withDescription(why).asRuntimeException();
                    });
                    if (s != seen.get()) {
                        value.set(active(m));
                        seen.set(s);
                    }
                    return value.get();
                })
                .filter(now -> !Objects.equals(now, sent.getAndSet(now)))
                .map(now -> IsActiveResponse.newBuilder().setResult(now).build());
    }

    @Override
    public Uni<GetMetricSpecResponse> getMetricSpec(ScaledObjectRef request) {
        // From configuration, not data: KEDA can build its HPA while Prometheus is down.
        return answer(() -> {
            ScalerMetadata meta = metadata(request);
            return GetMetricSpecResponse.newBuilder().addMetricSpecs(MetricSpec.newBuilder()
                    .setMetricName(meta.metricName())
                    .setTargetSize((long) Math.ceil(meta.targetValue()))
                    .setTargetSizeFloat(meta.targetValue())).build();
        });
    }

    @Override
    public Uni<GetMetricsResponse> getMetrics(GetMetricsRequest request) {
        return answer(() -> {
            ScalerMetadata meta = metadata(request.getScaledObjectRef());
            if (!request.getMetricName().isEmpty() && !request.getMetricName().equals(meta.metricName())) {
                throw Status.INVALID_ARGUMENT.withDescription("GetMetrics asks for metric " + request.getMetricName()
                        + " but the trigger's metricName is " + meta.metricName()).asRuntimeException();
            }
            AggregateValue v = value(meta);
            return GetMetricsResponse.newBuilder().addMetricValues(MetricValue.newBuilder()
                    .setMetricName(meta.metricName())
                    .setMetricValue(Math.round(v.value()))
                    .setMetricValueFloat(v.value())).build();
        });
    }

    @Override
    public Multi<GetMetricSpecResponse> streamMetricSpec(ScaledObjectRef request) {
        return Multi.createFrom().failure(Status.UNIMPLEMENTED
                .withDescription("StreamMetricSpec is not implemented: the metric spec changes only with the ScaledObject")
                .asRuntimeException());
    }

    private boolean active(ScaledObjectRef request) {
        return active(metadata(request));
    }

    private boolean active(ScalerMetadata meta) {
        return value(meta).value() > meta.activationValue();
    }

    private ScalerMetadata metadata(ScaledObjectRef ref) {
        if (!config.enabled()) {
            throw Status.FAILED_PRECONDITION.withDescription("the KEDA external scaler is off: set autoscaler.keda.enabled=true "
                    + "(Helm: kedaScaler.enabled=true)").asRuntimeException();
        }
        ScalerMetadata meta;
        try {
            meta = ScalerMetadata.parse(ref.getScalerMetadataMap(), feed.get().agents());
        } catch (IllegalArgumentException e) {
            throw invalid(ref, e.getMessage());
        }
        if (rules.rules().stream().noneMatch(r -> r.name().equals(meta.metricName()))) {
            throw invalid(ref, "scalerMetadata metricName " + meta.metricName() + " is not served; served metrics: "
                    + rules.rules().stream().map(MetricRule::name).sorted().collect(Collectors.joining(", ")));
        }
        return meta;
    }

    private static StatusRuntimeException invalid(ScaledObjectRef ref, String message) {
        return Status.INVALID_ARGUMENT.withDescription("ScaledObject " + ref.getNamespace() + "/" + ref.getName() + ": " + message)
                .asRuntimeException();
    }

    private Snapshot snapshot() {
        return holder.current().orElseThrow(() -> Status.UNAVAILABLE
                .withDescription("no metrics snapshot yet: the first refresh from Prometheus has not completed").asRuntimeException());
    }

    private AggregateValue value(ScalerMetadata meta) {
        Snapshot s = snapshot();
        try {
            return s.aggregate(meta.metricName(), meta.labelSelector(), clock.instant(), metricsConfig.maxStaleness());
        } catch (LookupException e) {
            Status status = switch (e.kind()) {
                case UNAVAILABLE -> Status.UNAVAILABLE;
                case NOT_FOUND -> Status.NOT_FOUND;
                case BAD_REQUEST -> Status.INVALID_ARGUMENT;
            };
            throw status.withDescription(e.getMessage()).asRuntimeException();
        }
    }

    /** Runs a lookup; a Status it throws becomes the call's Status, anything else INTERNAL with its message. */
    private static <T> Uni<T> answer(Supplier<T> lookup) {
        try {
            return Uni.createFrom().item(lookup.get());
        } catch (StatusRuntimeException e) {
            return Uni.createFrom().failure(e);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).withCause(e).asRuntimeException());
        }
    }
}
