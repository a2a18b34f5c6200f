package io.rwautoscaler.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The wall clock, injected so that loops read time in one place and tests pass a fixed instant instead. */
@ApplicationScoped
public class RuntimeWiring {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
