package io.rwautoscaler.shards;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The last published {@link ShardReport}; the API and gauges read it, the tuner loop replaces it. */
@ApplicationScoped
public class ShardReportHolder {

    private final AtomicReference<ShardReport> current = new AtomicReference<>();

    public Optional<ShardReport> current() {
        return Optional.ofNullable(current.get());
    }

    public void publish(ShardReport report) {
        current.set(report);
    }
}
