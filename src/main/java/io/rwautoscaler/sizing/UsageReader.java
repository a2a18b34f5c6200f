package io.rwautoscaler.sizing;

import io.rwautoscaler.prometheus.Prometheus;
import io.rwautoscaler.prometheus.PrometheusException;
import io.rwautoscaler.prometheus.RangeMatrix;

import io.rwautoscaler.core.model.PromDuration;
import io.rwautoscaler.core.sizing.ContainerKey;
import io.rwautoscaler.core.sizing.SizedResource;
import io.rwautoscaler.core.sizing.UsageSeries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a window of per-container usage for a group of namespaces with one range query per resource, never one
 * per container: CPU as {@code rate(container_cpu_usage_seconds_total[5m])} (rate() copes with counter resets),
 * memory as the working set's maximum in each step, so no peak between two steps is missed.
 *
 * <p>A window longer than Prometheus's 11,000 points per series is read in chunks. A query Prometheus refuses as
 * too large is split in halves (too many samples) or repeated at twice the step (too many points per series). A
 * part that still fails, or times out, is left out and named in {@link Read#problems()}: the result is partial
 * and must be presented as such.
 */
public final class UsageReader {

    /** Steps are doubled at most this often (5m → 40m) before a resource is given up as too large. */
    static final int MAX_STEP_DOUBLINGS = 3;
    /** Chunks refused as too large are halved down to this length. */
    static final Duration MIN_CHUNK = Duration.ofHours(1);
    private static final Duration MIN_RATE_RANGE = Duration.ofMinutes(5);
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /**
     * @param matchers extra label matchers for every query, e.g. {@code cluster="cluster-03"} (may be empty)
     */
    public record Settings(Duration step, int maxPointsPerSeries, Duration queryTimeout, String matchers) {
        public Settings {
            if (step.isNegative() || step.isZero() || step.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("step must be a positive whole number of seconds, got " + step);
            }
            if (maxPointsPerSeries < 2) {
                throw new IllegalArgumentException("maxPointsPerSeries must be at least 2, got " + maxPointsPerSeries);
            }
            matchers = matchers == null ? "" : matchers.trim();
        }
    }

    /**
     * One resource of one namespace group over the window.
     *
     * @param step     the step the series were read at (coarser than asked when Prometheus refused the finer one)
     * @param queries  range queries sent, refused ones included
     * @param answered range queries Prometheus answered with data (possibly none, possibly with warnings)
     * @param problems parts of the window that are missing, and why; non-empty means partial
     * @param notes    what was done differently than asked (a coarser step, a split), for the report
     */
    public record Read(SizedResource resource, Map<ContainerKey, UsageSeries> series, Duration step, int queries,
                       int answered, List<String> problems, List<String> notes) {
        public boolean partial() {
            return !problems.isEmpty();
        }
    }

    private final Prometheus prometheus;
    private final Settings settings;

    public UsageReader(Prometheus prometheus, Settings settings) {
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The usage of every container in {@code namespaces} over {@code window} up to {@code end}. */
    public Read read(SizedResource resource, List<String> namespaces, Instant end, Duration window) {
        Duration step = settings.step();
        List<String> notes = new ArrayList<>();
        int queries = 0;
        int answered = 0;
        for (int doublings = 0; ; doublings++) {
            Attempt a = new Attempt(resource, namespaces, step);
            try {
                Instant last = Instant.ofEpochSecond(Math.floorDiv(end.getEpochSecond(), step.toSeconds()) * step.toSeconds());
                Instant first = last.minus(window).plus(step);
                Duration span = step.multipliedBy(settings.maxPointsPerSeries() - 1L);
                if (last.isAfter(first.plus(span))) {
                    notes.add(a.what() + " read in chunks of " + settings.maxPointsPerSeries() + " points");
                }
                for (Instant from = first; !from.isAfter(last); from = from.plus(span).plus(step)) {
                    Instant to = from.plus(span).isAfter(last) ? last : from.plus(span);
                    a.fetch(from, to);
                }
                notes.addAll(a.notes);
                return new Read(resource, a.series(), step, queries + a.queries, answered + a.answered, a.problems, notes);
            } catch (ResolutionRefused e) {
                queries += a.queries;
                answered += a.answered;
                if (doublings == MAX_STEP_DOUBLINGS) {
                    List<String> problems = new ArrayList<>(a.problems);
                    problems.add(a.what() + ": refused as too large even at a " + PromDuration.format(step)
                            + " step: " + e.getMessage());
                    return new Read(resource, Map.of(), step, queries, answered, problems, notes);
                }
                notes.add(a.what() + " read at a " + PromDuration.format(step.multipliedBy(2)) + " step: Prometheus refused "
                        + PromDuration.format(step) + " as too many points per series");
                step = step.multipliedBy(2);
            }
        }
    }

    /** The PromQL of one resource for a group of namespaces at a step. */
    String promql(SizedResource resource, List<String> namespaces, Duration step) {
        String selector = "{container!=\"\", container!=\"POD\", namespace=~\"" + namespaceRegex(namespaces) + "\""
                + (settings.matchers().isEmpty() ? "" : ", " + settings.matchers()) + "}";
        if (resource == SizedResource.CPU) {
            Duration range = step.compareTo(MIN_RATE_RANGE) > 0 ? step : MIN_RATE_RANGE;
            return "sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total" + selector + "["
                    + PromDuration.format(range) + "]))";
        }
        return "max by (namespace, pod, container) (max_over_time(container_memory_working_set_bytes" + selector + "["
                + PromDuration.format(step) + "]))";
    }

    /** {@code a|b|c} for {@code namespace=~}; {@code .+} for every namespace. */
    public static String namespaceRegex(List<String> namespaces) {
        if (namespaces.contains(WorkloadInventory.ALL_NAMESPACES)) {
            return ".+";
        }
        return namespaces.stream().map(ns -> {
            if (!NAMESPACE.matcher(ns).matches()) {
                throw new IllegalArgumentException("not a namespace name: '" + ns + "'");
            }
            return ns;
        }).collect(Collectors.joining("|"));
    }

    /** Prometheus refused the step: the whole read starts over at a coarser one. */
    private static final class ResolutionRefused extends RuntimeException {
        ResolutionRefused(String message) {
            super(message, null, false, false);
        }
    }

    /** One read at one step: the chunks fetched so far, and what went wrong. */
    private final class Attempt {
        final SizedResource resource;
        final List<String> namespaces;
        final Duration step;
        final String promql;
        final Map<ContainerKey, List<RangeMatrix.Series>> parts = new HashMap<>();
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        int queries;
        int answered;

        Attempt(SizedResource resource, List<String> namespaces, Duration step) {
            this.resource = resource;
            this.namespaces = namespaces;
            this.step = step;
            this.promql = promql(resource, namespaces, step);
        }

        String what() {
            return resource.label() + " of " + (namespaces.size() == 1 ? "namespace " : "namespaces ")
                    + String.join(",", namespaces);
        }

        /** Chunks arrive in time order, halves of a split one too, so each series' parts stay in order. */
        void fetch(Instant from, Instant to) {
            queries++;
            try {
                RangeMatrix m = prometheus.queryRangeMatrix(promql, from, to, step, settings.queryTimeout());
                answered++;
                for (String w : m.warnings()) {
                    problems.add(what() + " " + from + " to " + to + ": Prometheus warned: " + w);
                }
                for (RangeMatrix.Series s : m.series()) {
                    String ns = s.labels().get("namespace");
                    String pod = s.labels().get("pod");
                    String container = s.labels().get("container");
                    if (ns != null && pod != null && container != null) {
                        parts.computeIfAbsent(new ContainerKey(ns, pod, container), k -> new ArrayList<>(1)).add(s);
                    }
                }
            } catch (PrometheusException e) {
                if (e.reason() != PrometheusException.Reason.TOO_LARGE) {
                    problems.add(what() + " " + from + " to " + to + " is missing: " + e.getMessage());
                    return;
                }
                if (e.getMessage().contains("resolution") || e.getMessage().contains("points per")) {
                    throw new ResolutionRefused(e.getMessage());
                }
                long steps = Duration.between(from, to).dividedBy(step);
                if (step.multipliedBy(steps).compareTo(MIN_CHUNK) <= 0 || steps < 1) {
                    problems.add(what() + " " + from + " to " + to + " is missing: refused as too large even in "
                            + PromDuration.format(Duration.between(from, to)) + ": " + e.getMessage());
                    return;
                }
                Instant middle = from.plus(step.multipliedBy(steps / 2));
                if (notes.isEmpty()) {
                    notes.add(what() + " read in smaller time ranges: Prometheus refused a longer one as too large");
                }
                fetch(from, middle);
                fetch(middle.plus(step), to);
            }
        }

        Map<ContainerKey, UsageSeries> series() {
            Map<ContainerKey, UsageSeries> out = new HashMap<>(parts.size() * 2);
            parts.forEach((key, list) -> out.put(key, concat(list)));
            return out;
        }

        private UsageSeries concat(List<RangeMatrix.Series> list) {
            if (list.size() == 1) {
                return UsageSeries.of(step, list.get(0).epochMillis(), list.get(0).values());
            }
            int n = list.stream().mapToInt(s -> s.epochMillis().length).sum();
            long[] t = new long[n];
            double[] v = new double[n];
            int i = 0;
            for (RangeMatrix.Series s : list) {
                System.arraycopy(s.epochMillis(), 0, t, i, s.epochMillis().length);
                System.arraycopy(s.values(), 0, v, i, s.values().length);
                i += s.values().length;
            }
            return UsageSeries.of(step, t, v);
        }
    }
}
