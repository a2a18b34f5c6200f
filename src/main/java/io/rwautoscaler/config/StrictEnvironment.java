package io.rwautoscaler.config;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Start-up refuses an {@code AUTOSCALER_*} environment variable that no key maps to, one line per variable naming
 * the nearest known key, as SmallRye does for an unknown {@code -D} key; and a negative duration under any key
 * ({@code AUTOSCALER_AUTH_CACHE_TTL=-1s} parses, and would mean nothing sensible). First of the start-up checks.
 */
@Startup(0)
@Singleton
public class StrictEnvironment {

    public StrictEnvironment() {
        check(System.getenv(), ConfigProvider.getConfig());
    }

    static void check(Map<String, String> environment, Config config) {
        List<String> problems = new ArrayList<>(EnvironmentKeys.ofTheService().unknown(environment));
        problems.addAll(negativeDurations(config));
        if (!problems.isEmpty()) {
            throw ConfigProblems.invalid(problems);
        }
    }

    /** One line per duration key set below zero, naming the key and the value as written. */
    static List<String> negativeDurations(Config config) {
        List<String> problems = new ArrayList<>();
        for (String key : EnvironmentKeys.durationKeys()) {
            config.getOptionalValue(key, Duration.class).filter(Duration::isNegative).ifPresent(d -> problems.add(
                    key + ": must not be negative, got " + config.getConfigValue(key).getValue()));
        }
        return problems;
    }
}
