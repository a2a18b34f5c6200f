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
// Each usage query answers after 8 s, so a run takes at least 8 s (its queries may run side by side).
@QuarkusTestResource(value = FakeKubePrometheusResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "range-delay-ms", value = "8000"))
class RightSizingSchedulingTest {

    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true",
                    "autoscaler.metrics.refresh", "1s",
                    "autoscaler.rightsizing.initial-delay", "2s",
                    "autoscaler.rightsizing.every", "1h",
                    // Above the slow range answers below, so the run completes rather than timing out.
                    "autoscaler.prometheus.timeout", "20s");
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

        // Watch snapshots while the run lasts (at least 8 s: every usage query answers 8 s late) until three
        // distinct ones were published: a refresh frozen behind the run never gets there. No fixed window, so a
        // loaded machine that slows each refresh still passes, as long as refreshes go on beside the run.
        Set<Instant> refreshes = new TreeSet<>();
        boolean runningAtThirdRefresh = false;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            boolean running = loop.running();
            snapshots.current().map(Snapshot::createdAt).ifPresent(refreshes::add);
            if (refreshes.size() >= 3) {
                runningAtThirdRefresh = running;
                break;
            }
            if (!running) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(refreshes).as("distinct snapshots published while the right-sizing run lasted").hasSizeGreaterThanOrEqualTo(3);
        assertThat(runningAtThirdRefresh).as("the right-sizing run was still going when the third snapshot came").isTrue();

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
