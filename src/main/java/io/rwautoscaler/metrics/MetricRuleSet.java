package io.rwautoscaler.metrics;

import io.rwautoscaler.core.model.MetricName;

import io.rwautoscaler.core.model.PromDuration;

import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.core.metrics.BuiltinRules;
import io.rwautoscaler.core.metrics.PromQlTemplate;
import io.rwautoscaler.core.model.MetricRule;
import io.rwautoscaler.config.ConfigProblems;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The served rules: the built-ins plus {@code autoscaler.metrics.rules.*}, rendered and validated once at
 * start-up. An invalid rule stops start-up with one message naming the key.
 */
@Startup(1)
@ApplicationScoped
public class MetricRuleSet {


    private final List<MetricRule> rules;

    @Inject
    public MetricRuleSet(MetricsConfig config) {
        this.rules = build(config);
    }

    public List<MetricRule> rules() {
        return rules;
    }

    static List<MetricRule> build(MetricsConfig config) {
        List<String> problems = new ArrayList<>();
        check(problems, "autoscaler.metrics.refresh", config.refresh());
        check(problems, "autoscaler.metrics.max-staleness", config.maxStaleness());
        if (!config.refresh().isNegative() && config.refresh().isZero()) {
            problems.add("autoscaler.metrics.refresh: must be longer than 0s");
        } else if (problems.isEmpty() && config.maxStaleness().compareTo(config.refresh()) < 0) {
            problems.add("autoscaler.metrics.max-staleness (" + config.maxStaleness()
                    + ") must not be shorter than autoscaler.metrics.refresh (" + config.refresh() + ")");
        }
        String matchers = config.matchers().orElse("");
        Map<String, MetricRule> out = new LinkedHashMap<>();
        if (config.builtins()) {
            for (BuiltinRules.Definition d : BuiltinRules.all()) {
                out.put(d.name(), new MetricRule(d.name(), PromQlTemplate.parse(d.query()).render(values(matchers, d.window())),
                        d.timestampQuery().map(t -> PromQlTemplate.parse(t).render(values(matchers, d.window()))),
                        d.kinds(), d.aggregation(), d.window(), d.distributeToReceivers(), d.description()));
            }
        }
        config.rules().forEach((name, r) -> {
            String key = "autoscaler.metrics.rules.\"" + name + "\"";
            if (!MetricName.valid(name)) {
                problems.add(key + ": '" + name + "' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
                return;
            }
            check(problems, key + ".window", r.window());
            if (r.kind().isEmpty()) {
                problems.add(key + ".kind: name at least one of custom, external");
            }
            Optional<String> query = render(problems, key + ".query", Optional.of(r.query()), matchers, r.window());
            Optional<String> ts = render(problems, key + ".timestamp-query", r.timestampQuery(), matchers, r.window());
            if (query.isPresent() && !r.kind().isEmpty()) {
                out.put(name, new MetricRule(name, query.get(), ts, java.util.Set.copyOf(r.kind()), r.aggregation(), r.window(),
                        r.distributeToReceivers(), r.description().orElse("")));
            }
        });
        if (out.isEmpty() && problems.isEmpty()) {
            problems.add("autoscaler.metrics: no rule is served (built-ins off and no autoscaler.metrics.rules); "
                    + "kube-apiserver marks an APIService with an empty discovery list unavailable");
        }
        if (!problems.isEmpty()) {
            throw ConfigProblems.invalid(problems);
        }
        return List.copyOf(out.values());
    }

    private static Optional<String> render(List<String> problems, String key, Optional<String> template, String matchers, Duration window) {
        if (template.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(PromQlTemplate.parse(template.get()).render(values(matchers, window)));
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Map<String, String> values(String matchers, Duration window) {
        return Map.of(PromQlTemplate.MATCHERS, matchers, PromQlTemplate.WINDOW, PromDuration.formatSeconds(window));
    }

    private static void check(List<String> problems, String key, Duration d) {
        if (d.isNegative()) {
            problems.add(key + ": negative duration " + d + " (write e.g. 15s, 2m)");
        }
    }
}
