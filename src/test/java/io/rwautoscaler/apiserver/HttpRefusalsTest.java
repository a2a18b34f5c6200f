package io.rwautoscaler.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.rwautoscaler.testsupport.RawHttp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 18: every refusal is a meta/v1 Status, including the HTTP layer's own (request target or headers too long,
 * a body too large, a target that does not decode), and paths kube-apiserver would not route (an empty segment, a
 * ';' parameter) are not served. Over a raw socket: HTTP clients refuse to send most of these.
 */
@QuarkusTest
class HttpRefusalsTest {

    static final String EXTERNAL = "/apis/external.metrics.k8s.io/v1beta1";
    static final String QUEUE = EXTERNAL + "/namespaces/monitoring/prometheus_remote_storage_queue_length";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final ObjectMapper json = new ObjectMapper();

    RawHttp.Response send(String request) throws IOException {
        return RawHttp.exchange(RestAssured.port, request, TIMEOUT);
    }

    JsonNode status(RawHttp.Response r, int code) throws IOException {
        assertThat(r.code()).as(r.head()).isEqualTo(code);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode s = json.readTree(r.body());
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(s.path("status").asText()).isEqualTo("Failure");
        assertThat(s.path("code").asInt()).isEqualTo(code);
        return s;
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Test
    void aLongRequestTargetIsA414Status() throws IOException {
        JsonNode s = status(send(RawHttp.get(QUEUE + "?labelSelector=a%3D" + repeat('b', 20_000))), 414);
        assertThat(s.path("message").asText()).contains("autoscaler.http.max-uri-length").contains("label selector");
    }

    @Test
    void manyClausesOrValuesAreA414StatusToo() throws IOException {
        StringBuilder clauses = new StringBuilder("a%3D1");
        for (int i = 0; i < 2_000; i++) {
            clauses.append(",k").append(i).append("%3Dv");
        }
        status(send(RawHttp.get(QUEUE + "?labelSelector=" + clauses)), 414);
        StringBuilder values = new StringBuilder("app%20in%20(");
        for (int i = 0; i < 10_000; i++) {
            values.append(i == 0 ? "" : ",").append("v").append(i);
        }
        status(send(RawHttp.get(QUEUE + "?labelSelector=" + values + ")")), 414);
    }

    @Test
    void pastVertxOwnLimitTheRefusalIsStillA414() throws IOException {
        // Documented: past quarkus.http.limits.max-initial-line-length (64 KiB) Vert.x answers by itself, bare.
        RawHttp.Response r = send(RawHttp.get(QUEUE + "?labelSelector=a%3D" + repeat('b', 70_000)));
        assertThat(r.code()).isEqualTo(414);
    }

    @Test
    void largeHeadersAreA431Status() throws IOException {
        JsonNode s = status(send(RawHttp.get(EXTERNAL, "X-Padding: " + repeat('x', 30_000))), 431);
        assertThat(s.path("message").asText()).contains("autoscaler.http.max-header-bytes");
    }

    @Test
    void aLargeBodyIsA413StatusBeforeItIsRead() throws IOException {
        String request = "POST " + EXTERNAL + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000000\r\n\r\n";
        JsonNode s = status(send(request), 413);
        assertThat(s.path("reason").asText()).isEqualTo("RequestEntityTooLarge");
        assertThat(s.path("message").asText()).contains("quarkus.http.limits.max-body-size");
    }

    @Test
    void badPercentEncodingIsA400Status() throws IOException {
        for (String target : List.of(
                "/apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods/%ZZ/prometheus_remote_storage_queue_length",
                QUEUE + "?labelSelector=a%ZZb",
                QUEUE + "?labelSelector=a%3",
                QUEUE + "?labelSelector=a%7Cb%7c|")) {
            JsonNode s = status(send(RawHttp.get(target)), 400);
            assertThat(s.path("reason").asText()).isEqualTo("BadRequest");
            assertThat(s.path("message").asText()).as(target).contains("cannot be decoded");
        }
    }

    @Test
    void emptySegmentsAndPathParametersFindNothing() throws IOException {
        for (String target : List.of(
                EXTERNAL + "////namespaces/monitoring/prometheus_remote_storage_queue_length",
                EXTERNAL + "/namespaces//monitoring/prometheus_remote_storage_queue_length",
                QUEUE + ";x=y",
                "/apis/custom.metrics.k8s.io/v1beta1/namespaces/monitoring/pods;x=y/*/prometheus_remote_storage_queue_length")) {
            JsonNode s = status(send(RawHttp.get(target)), 404);
            assertThat(s.path("reason").asText()).isEqualTo("NotFound");
            assertThat(s.path("message").asText()).as(target).containsAnyOf("empty segment", "';'");
        }
    }

    @Test
    void wellFormedRequestsAreUnaffected() throws IOException {
        RawHttp.Response r = send(RawHttp.get(EXTERNAL, "X-Padding: " + repeat('x', 10_000)));
        assertThat(r.code()).isEqualTo(200);
        StringBuilder clauses = new StringBuilder("a%3D1");
        while (clauses.length() < 3_900) {
            clauses.append(",k").append(clauses.length()).append("%21%3Dv");
        }
        assertThat(send(RawHttp.get(QUEUE + "?labelSelector=" + clauses)).code()).isIn(200, 503);
    }

    @Test
    void limitsThatVertxWouldReachFirstStopStartUp() {
        assertThatThrownBy(() -> new RequestLimits(70_000, 20_480, 1 << 20, 65_536, 65_536))
                .hasMessageContaining("autoscaler.http.max-uri-length").hasMessageContaining("quarkus.http.limits.max-initial-line-length");
        assertThatThrownBy(() -> new RequestLimits(16_384, 70_000, 1 << 20, 65_536, 65_536))
                .hasMessageContaining("autoscaler.http.max-header-bytes").hasMessageContaining("quarkus.http.limits.max-header-size");
        assertThat(new RequestLimits(16_384, 20_480, 1 << 20, 65_536, 65_536)
                .check("/a", "/a", List.of(Map.entry("Host", "x")), null)).isNull();
    }
}
