package io.rwautoscaler.testsupport;

import static io.rwautoscaler.testsupport.RemoteWritePipeline.BROKEN_AGENT_POD;
import static io.rwautoscaler.testsupport.RemoteWritePipeline.HEALTHY_AGENT_POD;
import static io.rwautoscaler.testsupport.RemoteWritePipeline.RECEIVER_POD;
import static io.rwautoscaler.testsupport.RemoteWritePipeline.SAMPLES_PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.rwautoscaler.testsupport.PrometheusProcess.Mode;

/** Proves the fixture: what the end-to-end tests rely on really holds with Prometheus 2.42. */
class RemoteWritePipelineTest {

    @RegisterExtension
    static RemoteWritePipeline pipeline = new RemoteWritePipeline();

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String SENT_TIMESTAMP = "prometheus_remote_storage_queue_highest_sent_timestamp_seconds";

    @Test
    void scraperSeesBothAgentsPendingSamplesWithTheirTargetLabels() {
        List<Series> pending = pipeline.awaitQuery(SAMPLES_PENDING, result -> result.size() == 2, TIMEOUT);

        assertThat(pending).extracting(series -> series.label("pod"))
                .containsExactlyInAnyOrder(HEALTHY_AGENT_POD, BROKEN_AGENT_POD);
        assertThat(pending).allSatisfy(series -> {
            assertThat(series.labels()).containsEntry("namespace", "monitoring")
                    .containsEntry("app", "prometheus-agent")
                    .containsEntry("job", "prometheus-agent");
            String agent = series.label("pod").contains("healthy") ? "healthy" : "broken";
            assertThat(series.labels()).containsEntry("remote_name", agent + "-to-receive");
        });
    }

    @Test
    void scraperLabelsTheReceiverLikeAThanosReceivePod() {
        List<Series> up = pipeline.awaitQuery("up{job=\"thanos-receive\"} == 1", result -> result.size() == 1, TIMEOUT);

        assertThat(up.get(0).labels()).containsEntry("namespace", "monitoring")
                .containsEntry("pod", RECEIVER_POD)
                .containsEntry("app", "thanos-receive");
    }

    @Test
    void brokenAgentsPendingSamplesPassAThousand() {
        double pending = pipeline.awaitBrokenQueueAtLeast(1000, TIMEOUT);

        // Informational only (timings belong in benchmarks/): an upper bound when other tests ran first.
        System.err.printf("[e2e] broken agent pending=%.0f, %s after the pipeline was ready%n",
                pending, Duration.between(pipeline.startedAt(), Instant.now()));
        assertThat(pending).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void onlyTheHealthyAgentHasEverSentAndTheReceiverHoldsOnlyItsSamples() {
        pipeline.awaitBrokenQueueAtLeast(1, TIMEOUT); // by now the broken agent has tried to send
        pipeline.awaitQuery(SENT_TIMESTAMP + "{pod=\"" + HEALTHY_AGENT_POD + "\"}", result -> result.size() == 1, TIMEOUT);

        assertThat(pipeline.query(SENT_TIMESTAMP + "{pod=\"" + BROKEN_AGENT_POD + "\"}")).isEmpty();
        // agent.yml sets the external label agent=<name> on everything an agent writes.
        assertThat(InstantQuery.run(pipeline.receiverUrl(), "count by (agent) ({__name__=~\".+\"})"))
                .extracting(series -> series.label("agent"))
                .containsExactly("healthy");
    }

    @Test
    void stopKillsEveryProcessByPidEvenAnAgentStuckRetrying() {
        RemoteWritePipeline own = RemoteWritePipeline.dedicated().start();
        List<PrometheusProcess> processes = List.of(own.receiver(), own.healthyAgent(), own.brokenAgent(), own.scraper());
        own.awaitBrokenQueueAtLeast(1, TIMEOUT); // retrying: the state in which the agent ignores SIGTERM
        List<Long> pids = processes.stream().map(PrometheusProcess::pid).toList();

        own.stop();

        assertThat(pids).allSatisfy(pid -> assertThat(isAlive(pid)).as("pid %d alive", pid).isFalse());
        assertThat(processes).allSatisfy(process -> assertThat(process.workDir()).doesNotExist());
    }

    @Test
    void restartComesBackOnTheSamePortWithANewPid() {
        int port = PrometheusProcess.freePorts(1)[0];
        try (PrometheusProcess receiver = new PrometheusProcess("restart-check", Mode.RECEIVER, port,
                ConfigTemplate.render("receiver.yml", Map.of())).start()) {
            long before = receiver.pid();

            receiver.restart();

            assertThat(receiver.pid()).isNotEqualTo(before);
            assertThat(isAlive(before)).isFalse();
            assertThat(receiver.port()).isEqualTo(port);
            assertThat(InstantQuery.run(receiver.baseUrl(), "1 + 1")).extracting(Series::value).containsExactly(2.0);
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
