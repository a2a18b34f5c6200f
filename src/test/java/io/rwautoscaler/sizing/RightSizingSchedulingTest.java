package io.rwautoscaler.sizing;

import io.rwautoscaler.metrics.SnapshotHolder;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rwautoscaler.core.metrics.Snapshot;
import io.rwautoscaler.testsupport.FakeKubePrometheus;
import io.rwautoscaler.testsupport.FakeKubePrometheusResource;
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
 * With the real scheduler: a right-sizing run that takes many seconds (Prometheus answers its range queries slowly)
 * runs alongside the 1-second metrics refresh, which keeps publishing snapshots the whole time.
 */
@QuarkusTest
@TestProfile(RightSizingSchedulingTest.Scheduled.class)
// Each usage query answers after 4 s, so a run takes at least 8 s.
@QuarkusTestResource(value = FakeKubePrometheusResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "range-delay-ms", value = "4000"))
class RightSizingSchedulingTest {

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true",
                    "autoscaler.metrics.refresh", "1s",
                    "autoscaler.rightsizing.initial-delay", "2s",
                    "autoscaler.rightsizing.every", "1h");
        }
    }

    @Inject
    RightSizingLoop loop;
    @Inject
    RightSizingHolder rightSizing;
    @Inject
    SnapshotHolder snapshots;

    FakeKubePrometheus prometheus;

    @Test
    void aLongRightSizingRunNeverHoldsUpTheMetricsRefresh() throws Exception {
        prometheus.workloads(List.of(agent(0.18, 260 * MI))); // what the workloads are does not matter here
        await(() -> loop.running(), Duration.ofSeconds(30), "the scheduled first right-sizing run to start");

        Set<Instant> refreshes = new TreeSet<>();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until && loop.running()) {
            snapshots.current().map(Snapshot::createdAt).ifPresent(refreshes::add);
            Thread.sleep(100);
        }
        assertThat(loop.running()).as("the right-sizing run lasted the whole observation").isTrue();
        // 1-second refreshes for about 5 s: at least 3 distinct snapshots, not one frozen behind the run.
        assertThat(refreshes).hasSizeGreaterThanOrEqualTo(3);

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
