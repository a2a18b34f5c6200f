package io.rwautoscaler.core.hpa;

import java.util.Objects;
import java.util.Optional;

/** {@code autoscaling/v2 MetricSpec}: one of the five metric sources. */
public sealed interface MetricSpec {

    /** The source type as an HPA manifest names it ({@code Resource}, {@code Pods}, ...). */
    String type();

    /** {@code type: Resource}: a resource (cpu, memory) of the whole pods, from the resource metrics API. */
    record Resource(String name, MetricTarget target) implements MetricSpec {
        public Resource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String type() {
            return "Resource";
        }
    }

    /** {@code type: ContainerResource}: a resource of one named container of each pod. */
    record ContainerResource(String name, String container, MetricTarget target) implements MetricSpec {
        public ContainerResource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String type() {
            return "ContainerResource";
        }
    }

    /** {@code type: Pods}: a custom metric per pod of the target, averaged. */
    record Pods(String metricName, Optional<MetricSelector> selector, MetricTarget target) implements MetricSpec {
        public Pods {
            Objects.requireNonNull(metricName, "metricName");
            selector = selector == null ? Optional.empty() : selector;
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String type() {
            return "Pods";
        }
    }

    /** {@code type: Object}: a custom metric describing one object. */
    record ObjectMetric(ObjectReference describedObject, String metricName, Optional<MetricSelector> selector,
                        MetricTarget target) implements MetricSpec {
        public ObjectMetric {
            Objects.requireNonNull(describedObject, "describedObject");
            Objects.requireNonNull(metricName, "metricName");
            selector = selector == null ? Optional.empty() : selector;
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String type() {
            return "Object";
        }
    }

    /** {@code type: External}: a metric from outside the cluster's objects, summed over its series. */
    record External(String metricName, Optional<MetricSelector> selector, MetricTarget target) implements MetricSpec {
        public External {
            Objects.requireNonNull(metricName, "metricName");
            selector = selector == null ? Optional.empty() : selector;
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String type() {
            return "External";
        }
    }

    /**
     * A source type the controller does not know. kube-apiserver validation (and {@code io.rwautoscaler.hpa}'s
     * converter) rejects it; it exists so that the controller's handling of an invalid metric among valid ones
     * ({@code TestScaleUpOneMetricInvalid}) can be exercised as upstream does.
     */
    record Unsupported(String type) implements MetricSpec {
        public Unsupported {
            Objects.requireNonNull(type, "type");
        }
    }
}
