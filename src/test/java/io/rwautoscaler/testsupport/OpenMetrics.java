package io.rwautoscaler.testsupport;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics} (see {@link Backfill}): a
 * {@code # TYPE} line per family, samples with timestamps in seconds, {@code # EOF} at the end. Samples are
 * grouped by family and sorted by series and time when rendered, so they may be added in any order.
 *
 * <pre>
 * OpenMetrics om = new OpenMetrics()
 *     .gauge("kube_statefulset_replicas", Map.of("statefulset", "thanos-receive"), start, end, step, t -&gt; 3)
 *     .counter("container_cpu_usage_seconds_total", labels, start, end, step, t -&gt; 0.55); // cores = rate/s
 * </pre>
 */
public final class OpenMetrics {

    /** One sample line. */
    public record Point(String metric, Map<String, String> labels, Instant at, double value) {
        public Point {
            labels = new TreeMap<>(labels);
        }
    }

    private record Family(String type, List<Point> points) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** One sample of {@code metric}; {@code type} is counter, gauge, histogram or unknown. */
    public OpenMetrics add(String type, String metric, Map<String, String> labels, Instant at, double value) {
        String family = familyName(type, metric);
        Family f = families.computeIfAbsent(family, name -> new Family(type, new ArrayList<>()));
        if (!f.type().equals(type)) {
            throw new IllegalArgumentException(metric + " is declared as " + f.type() + ", not " + type);
        }
        f.points().add(new Point(metric, labels, at, value));
        return this;
    }

    /** A gauge sampled every {@code step} from {@code start} to {@code end} inclusive. */
    public OpenMetrics gauge(String metric, Map<String, String> labels, Instant start, Instant end, Duration step,
                             ToDoubleFunction<Instant> valueAt) {
        for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
            add("gauge", metric, labels, t, valueAt.applyAsDouble(t));
        }
        return this;
    }

    /**
     * A counter (name ending in {@code _total}) that grows at {@code ratePerSecond(t)} during each step, so
     * {@code rate(metric[5m])} reads the given rate back.
     */
    public OpenMetrics counter(String metric, Map<String, String> labels, Instant start, Instant end, Duration step,
                               ToDoubleFunction<Instant> ratePerSecond) {
        return cumulative("counter", metric, labels, start, end, step, ratePerSecond);
    }

    /** One {@code _bucket} series of a histogram, growing like {@link #counter}. */
    public OpenMetrics histogramBucket(String metric, Map<String, String> labels, Instant start, Instant end, Duration step,
                                       ToDoubleFunction<Instant> ratePerSecond) {
        if (!metric.endsWith("_bucket") || !labels.containsKey("le")) {
            throw new IllegalArgumentException("a histogram bucket is NAME_bucket with an le label: " + metric + labels);
        }
        return cumulative("histogram", metric, labels, start, end, step, ratePerSecond);
    }

    private OpenMetrics cumulative(String type, String metric, Map<String, String> labels, Instant start, Instant end,
                                   Duration step, ToDoubleFunction<Instant> ratePerSecond) {
        double value = 0;
        double seconds = step.toMillis() / 1000.0;
        for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
            add(type, metric, labels, t, value);
            value += ratePerSecond.applyAsDouble(t) * seconds;
        }
        return this;
    }

    public int sampleCount() {
        return families.values().stream().mapToInt(f -> f.points().size()).sum();
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        Comparator<Point> order = Comparator.comparing((Point p) -> p.metric() + p.labels()).thenComparing(Point::at);
        families.forEach((name, family) -> {
            out.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
            family.points().stream().sorted(order).forEach(p -> {
                out.append(p.metric());
                if (!p.labels().isEmpty()) {
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<String, String> l : p.labels().entrySet()) {
                        out.append(first ? "" : ",").append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
                        first = false;
                    }
                    out.append('}');
                }
                out.append(' ').append(number(p.value())).append(' ').append(seconds(p.at())).append('\n');
            });
        });
        return out.append("# EOF\n").toString();
    }

    private static String familyName(String type, String metric) {
        return switch (type) {
            case "counter" -> {
                if (!metric.endsWith("_total")) {
                    throw new IllegalArgumentException("an OpenMetrics counter sample ends in _total: " + metric);
                }
                yield metric.substring(0, metric.length() - "_total".length());
            }
            case "histogram" -> metric.replaceFirst("_(bucket|count|sum)$", "");
            case "gauge", "unknown" -> metric;
            default -> throw new IllegalArgumentException("unsupported type " + type);
        };
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String seconds(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
