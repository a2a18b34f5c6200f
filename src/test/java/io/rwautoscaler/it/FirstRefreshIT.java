package io.rwautoscaler.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwautoscaler.testsupport.PrometheusProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application refreshes once as soon as start-up is done, rather than one refresh interval later
 * (the scheduler's first tick comes before the application counts as running and is skipped): with a 1 h interval
 * it still gets ready, from that first refresh. Found by the start-to-ready figure of benchmarks/run.sh.
 */
class FirstRefreshIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Test
    void readyFromAFirstRefreshAtStartUpNotAfterOneInterval() throws Exception {
        int[] ports = PrometheusProcess.freePorts(2);
        // An empty Prometheus: every rule's query succeeds with no series, which is enough to be ready.
        try (PrometheusProcess prometheus = new PrometheusProcess("first-refresh", PrometheusProcess.Mode.SERVER,
                ports[0], "scrape_configs: []\n").start()) {
            Path log = Path.of("target", "e2e-logs", "first-refresh-app.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            Process app = PackagedApp.start(List.of("-Dquarkus.profile=local", "-Dquarkus.grpc.server.port=0", "-Dquarkus.http.port=" + ports[1],
                    "-Dautoscaler.prometheus.url=" + prometheus.baseUrl(),
                    "-Dautoscaler.metrics.refresh=1h", "-Dautoscaler.metrics.max-staleness=2h",
                    // A documented key, set to its default: start-up once refused it as mapping to no root.
                    "-Dautoscaler.scheduler.first-delay=5s"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                // Far below the 1 h interval: a 200 at all means the first refresh did not wait for it.
                HttpResponse<String> ready = awaitReady(app, "http://127.0.0.1:" + ports[1] + "/q/health/ready",
                        Duration.ofSeconds(60));
                assertThat(ready.statusCode()).as("readiness; app log: %s", log).isEqualTo(200);
                assertThat(ready.body()).contains("fresh, 0 series");
            } finally {
                app.destroy();
                if (!app.waitFor(10, TimeUnit.SECONDS)) {
                    app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static HttpResponse<String> awaitReady(Process app, String url, Duration limit) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                last = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(100);
        }
        assertThat(app.isAlive()).as("the app is still running").isTrue();
        assertThat(last).as("an answer from %s", url).isNotNull();
        return last;
    }
}
