package io.rwautoscaler.sizing;

import io.rwautoscaler.metrics.SnapshotHolder;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.testsupport.CannedKubePrometheusServer;
import io.rwautoscaler.testsupport.CannedKubePrometheusServerResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static io.rwautoscaler.sizing.RightSizingFixture.MI;
import static io.rwautoscaler.sizing.RightSizingFixture.agent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the real scheduler: a right-sizing run that lasts as long as Prometheus holds its range queries runs alongside
 * the 1-second metrics refresh, which keeps publishing snapshots the whole time.
 */
@QuarkusTest
@TestProfile(RightSizingSchedulingTest.Scheduled.class)
// Range queries wait until the test releases them, so the run lasts exactly as long as the test needs, however
// loaded the machine is (a fixed 4 s delay with a fixed 5 s observation failed at load average ~22).
@QuarkusTestResource(value = CannedKubePrometheusServerResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "hold-range-queries", value = "true"))
class RightSizingSchedulingTest {

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true",
                    "autoscaler.metrics.refresh", "1s",
                    "autoscaler.rightsizing.initial-delay", "2s",
                    "autoscaler.rightsizing.every", "1h",
                    // Longer than the test can hold the usage queries (its 60 s deadlines), so the held run waits
                    // for the release instead of timing out on the client side.
                    "autoscaler.rightsizing.query-timeout", "150s");
        }
    }

    @Inject
    RightSizingLoop loop;
    @Inject
    RightSizingHolder rightSizing;
    @Inject
    SnapshotHolder snapshots;

    CannedKubePrometheusServer prometheus;

    @Test
    void aLongRightSizingRunNeverHoldsUpTheMetricsRefresh() throws Exception {
        prometheus.workloads(List.of(agent(0.18, 260 * MI))); // what the workloads are does not matter here
        try {
            await(() -> loop.running() && !prometheus.rangeQueries().isEmpty(), Duration.ofSeconds(60),
                    "the scheduled first right-sizing run to wait on its first range query");

            // Snapshots created while the run is blocked: three distinct ones prove the refresh is not behind it.
            Set<Instant> refreshes = new TreeSet<>();
            await(() -> {
                snapshots.current().map(Snapshot::createdAt).ifPresent(refreshes::add);
                return refreshes.size() >= 3;
            }, Duration.ofSeconds(60), "three metrics refreshes while the right-sizing run waits on Prometheus");
            assertThat(loop.running()).as("the right-sizing run is still waiting on its range queries").isTrue();
            assertThat(rightSizing.last()).as("no right-sizing report before its queries are answered").isEmpty();
        } finally {
            prometheus.releaseRangeQueries();
        }

        await(() -> rightSizing.last().isPresent(), Duration.ofSeconds(60), "the right-sizing run to complete");
        assertThat(rightSizing.last().orElseThrow().partial()).isFalse();
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what);
            }
            Thread.sleep(50);
        }
    }
}
