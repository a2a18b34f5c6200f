package io.rwautoscaler.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Empties the meter registry when the application stops. The injected registry is Micrometer's global one, which
 * outlives an application start in the same JVM (tests, dev mode): a gauge registered again under the same name
 * would silently stay bound to the stopped instance's state and report its values, or nothing once that is
 * collected.
 */
@ApplicationScoped
public class MeterCleanup {

    @Inject
    MeterRegistry registry;

    void onStop(@Observes ShutdownEvent event) {
        registry.clear();
    }
}
