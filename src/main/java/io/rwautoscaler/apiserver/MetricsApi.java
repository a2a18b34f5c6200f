package io.rwautoscaler.apiserver;

import io.rwautoscaler.config.MetricsConfig;
import io.rwautoscaler.core.metrics.LookupException;
import io.rwautoscaler.core.metrics.ReceiverFeed;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.metrics.SnapshotHolder;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** What the API resources share: the snapshot, the clock, the staleness limit. */
@Singleton
class MetricsApi {

    final SnapshotHolder holder;
    final Clock clock;
    final Duration maxStaleness;
    final ReceiverFeed feed;

    @Inject
    MetricsApi(SnapshotHolder holder, Clock clock, MetricsConfig config, ReceiverFeed feed) {
        this.holder = holder;
        this.clock = clock;
        this.maxStaleness = config.maxStaleness();
        this.feed = feed;
    }

    Snapshot snapshot() {
        return holder.current().orElseThrow(() -> LookupException.unavailable(
                "no metrics snapshot yet: the first refresh from Prometheus has not completed"));
    }

    Instant now() {
        return clock.instant();
    }

    /** meta/v1 Time: RFC 3339 in UTC, whole seconds. */
    static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
