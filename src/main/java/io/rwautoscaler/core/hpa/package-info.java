/**
 * A port of the Kubernetes HorizontalPodAutoscaler controller's decision ({@code pkg/controller/podautoscaler}:
 * {@code replica_calculator.go}, {@code horizontal.go}, as of Kubernetes 1.34), pure and driven once per sync
 * period by the caller: the spec, the pods and the metric readings come in, time comes in as an argument, and
 * the controller's per-HPA memory (recommendations, scale-up and scale-down events) goes in and comes back out
 * as an {@link io.rwautoscaler.core.hpa.HpaHistory} value the caller keeps.
 *
 * <p>Function names follow upstream's so the port can be read side by side with it; each carries a one-line
 * comment naming the upstream function it ports. Deviations are listed in {@code notes/issue-16-hpa.md}.
 */
package io.rwautoscaler.core.hpa;
