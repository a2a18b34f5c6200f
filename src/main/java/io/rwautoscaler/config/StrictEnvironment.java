package io.rwautoscaler.config;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * Start-up refuses an {@code AUTOSCALER_*} environment variable that no key maps to, one line per variable naming
 * the nearest known key, as SmallRye does for an unknown {@code -D} key. First of the start-up checks.
 */
@Startup(0)
@Singleton
public class StrictEnvironment {

    public StrictEnvironment() {
        check(System.getenv());
    }

    static void check(Map<String, String> environment) {
        List<String> problems = EnvironmentKeys.ofTheService().unknown(environment);
        if (!problems.isEmpty()) {
            throw ConfigProblems.invalid(problems);
        }
    }
}
