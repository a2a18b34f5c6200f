package io.rwautoscaler.core.hpa;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Metric readings for tests: fixed values per metric, or a failure for a metric name. */
final class FixedReadings implements MetricReadings {

    private final Map<String, Map<String, PodMetric>> resources = new HashMap<>();
    private final Map<String, Map<String, PodMetric>> pods = new HashMap<>();
    private final Map<String, Long> objects = new HashMap<>();
    private final Map<String, List<Long>> externals = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();

    /** Per-pod values for {@code test-pod-0..}, stamped at {@code at} with a one-minute window. */
    static Map<String, PodMetric> perPod(Instant at, long... values) {
        Map<String, PodMetric> byPod = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            byPod.put("test-pod-" + i, new PodMetric(values[i], at, Duration.ofMinutes(1)));
        }
        return byPod;
    }

    FixedReadings resource(String resource, Map<String, PodMetric> values) {
        resources.put(resource, values);
        return this;
    }

    FixedReadings pods(String metric, Map<String, PodMetric> values) {
        pods.put(metric, values);
        return this;
    }

    FixedReadings object(String metric, long valueMilli) {
        objects.put(metric, valueMilli);
        return this;
    }

    FixedReadings external(String metric, Long... valuesMilli) {
        externals.put(metric, List.of(valuesMilli));
        return this;
    }

    FixedReadings failing(String metricOrResource, String message) {
        failures.put(metricOrResource, message);
        return this;
    }

    private void check(String name) {
        if (failures.containsKey(name)) {
            throw new MetricUnavailableException(failures.get(name));
        }
    }

    @Override
    public Map<String, PodMetric> resource(String resource, Optional<String> container) {
        check(resource);
        return resources.getOrDefault(resource, Map.of());
    }

    @Override
    public Map<String, PodMetric> pods(String metricName, Optional<MetricSelector> selector) {
        check(metricName);
        return pods.getOrDefault(metricName, Map.of());
    }

    @Override
    public long object(ObjectReference describedObject, String metricName, Optional<MetricSelector> selector) {
        check(metricName);
        Long value = objects.get(metricName);
        if (value == null) {
            throw new MetricUnavailableException("no value for " + metricName);
        }
        return value;
    }

    @Override
    public List<Long> external(String metricName, Optional<MetricSelector> selector) {
        check(metricName);
        return externals.getOrDefault(metricName, List.of());
    }
}
