package io.rwautoscaler.config;

import io.rwautoscaler.core.metrics.LabelSelector;
import io.smallrye.config.ConfigValidationException;

import java.util.List;
import java.util.function.Supplier;

/**
 * The one way a configuration problem is reported: a start-up failure whose lines each start with the key they
 * are about ({@code autoscaler.x.y: what is wrong}), so the operator reads which key to fix, not a stack trace.
 */
public final class ConfigProblems {

    private ConfigProblems() {
    }

    /** Runs a constructor that validates; its complaint becomes a start-up failure naming the key. */
    public static <T> T valid(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage());
        }
    }

    public static ConfigValidationException invalid(String key, String message) {
        return invalid(List.of(key + ": " + message));
    }

    /** Several problems at once, each line already naming its key. */
    public static ConfigValidationException invalid(List<String> problems) {
        return new ConfigValidationException(problems.stream()
                .map(ConfigValidationException.Problem::new).toArray(ConfigValidationException.Problem[]::new));
    }

    public static LabelSelector selector(String key, String value) {
        try {
            return LabelSelector.parse(value);
        } catch (LabelSelector.InvalidSelectorException e) {
            throw invalid(key, e.getMessage());
        }
    }
}
