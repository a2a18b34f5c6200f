package io.rwautoscaler.apiserver;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.rwautoscaler.testsupport.RawHttp;
import io.rwautoscaler.testsupport.SlowLoris;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, connection hygiene, over real sockets: a slowloris attack (request heads sent one byte at a time) is cut
 * at the header timeout while a well-behaved client, such as kube-apiserver asking for an HPA, is answered; one
 * client address cannot hold more than its share of connections; an idle kept-alive connection is not cut by the
 * header timeout. Every wait has a deadline; no timing is a pass/fail condition beyond "not before the timeout".
 */
@QuarkusTest
@TestProfile(ConnectionHygieneTest.ShortHeaderTimeout.class)
class ConnectionHygieneTest {

    /** A short header timeout and a small per-client limit, so the cases take seconds. */
    public static class ShortHeaderTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("autoscaler.http.header-timeout", "3s", "autoscaler.http.max-connections-per-client", "20");
        }
    }

    @Inject
    ConnectionHygiene hygiene;

    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(3);
    static final int PER_CLIENT = 20;
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Duration BYTE_EVERY = Duration.ofMillis(200);
    /** What kube-apiserver asks on an HPA's behalf before the metric itself: the group's discovery. */
    static final String HPA_GET = "/apis/external.metrics.k8s.io/v1beta1";
    static final String LIVE = "/q/health/live";

    static Socket connect(String source) throws IOException {
        Socket s = SlowLoris.plain(source, RestAssured.port).connect();
        s.setSoTimeout((int) DEADLINE.toMillis());
        return s;
    }

    /** One whole request on a kept-alive connection, and its answer. */
    static RawHttp.Response ask(Socket s, String target) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(RawHttp.get(target).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        RawHttp.Response r = RawHttp.read(s.getInputStream());
        assertThat(r.header("Content-Length")).as("a kept-alive answer needs a length: " + r.head()).isNotNull();
        return r;
    }

    /** The server closed {@code s} without answering the whole request sent on it. */
    static boolean closedWithoutAnswer(Socket s) {
        try {
            s.getOutputStream().write(RawHttp.get(LIVE).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return in.read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    static double dropped(String reason) {
        return Ports.counter("rwa_http_connections_dropped_total", "reason=\"" + reason + "\"");
    }

    /** The guard is installed from an asynchronous start event: wait for it rather than race it. */
    @BeforeEach
    void guarded() {
        SlowLoris.await("the one plain port of local mode guarded", DEADLINE, () -> hygiene.guardedListeners() == 1);
    }

    @Test
    void slowRequestHeadsAreCutAtTheHeaderTimeoutWhileAnHpaRequestIsAnswered() throws IOException {
        double before = dropped("header-timeout");
        int n = PER_CLIENT - 5;
        try (SlowLoris attack = SlowLoris.start(n, BYTE_EVERY, SlowLoris.plain("127.0.0.1", RestAssured.port))) {
            SlowLoris.await("every slow connection open and sending", DEADLINE, attack::allStarted);
            assertThat(attack.failures()).isEmpty();

            // While they hold their connections: kube-apiserver's request (another address) is answered...
            try (Socket hpa = connect("127.0.0.2")) {
                assertThat(ask(hpa, HPA_GET).code()).isEqualTo(200);
            }
            // ... and so is a whole request from the attacker's own address, under its limit.
            try (Socket same = connect("127.0.0.1")) {
                assertThat(ask(same, LIVE).code()).isEqualTo(200);
            }

            SlowLoris.await("the server closes every slow connection", DEADLINE, () -> attack.closedByServer() == n);
            for (SlowLoris.Slow c : attack.connections()) {
                assertThat(c.closedAfter()).as("cut by the header timeout, not before it")
                        .isGreaterThanOrEqualTo(HEADER_TIMEOUT.minusMillis(300));
                assertThat(c.bytesSent()).as("bytes kept coming").isGreaterThan(5);
                // Vert.x' idle timeout also cuts an unfinished head (at 90 s): the cut must come well before it.
                assertThat(c.closedAfter()).as("cut by the header timeout, not by quarkus.http.idle-timeout")
                        .isLessThan(ConfigProvider.getConfig().getValue("quarkus.http.idle-timeout", Duration.class)
                                .dividedBy(2));
            }
        }
        SlowLoris.await("the drops counted", DEADLINE, () -> dropped("header-timeout") >= before + n);
    }

    @Test
    void aKeptAliveConnectionIsTimedAgainFromTheFirstByteOfItsNextRequest() {
        try (SlowLoris attack = SlowLoris.start(1, BYTE_EVERY, () -> {
            Socket s = connect("127.0.0.1");
            assertThat(ask(s, LIVE).code()).isEqualTo(200);
            return s;
        })) {
            SlowLoris.await("the server closes the connection whose second head never ends", DEADLINE,
                    () -> attack.closedByServer() == 1 || !attack.failures().isEmpty());
            assertThat(attack.failures()).isEmpty();
        }
    }

    @Test
    void anIdleKeptAliveConnectionOutlivesTheHeaderTimeout() throws IOException {
        try (Socket s = connect("127.0.0.1")) {
            assertThat(ask(s, LIVE).code()).isEqualTo(200);
            long idleSince = System.nanoTime();
            SlowLoris.await("twice the header timeout gone by", DEADLINE,
                    () -> System.nanoTime() - idleSince > 2 * HEADER_TIMEOUT.toNanos());
            assertThat(ask(s, LIVE).code()).isEqualTo(200);
        }
    }

    @Test
    void aClientOverItsConnectionLimitIsRefusedWhileOtherAddressesAreServed() throws IOException {
        // An address no other test uses, so every connection from it is one this test opened.
        String crowd = "127.0.0.3";
        double before = dropped("client-limit");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_CLIENT; i++) {
                Socket s = connect(crowd);
                held.add(s);
                assertThat(ask(s, LIVE).code()).isEqualTo(200);
            }
            try (Socket extra = connect(crowd)) {
                assertThat(closedWithoutAnswer(extra)).as("connection number " + (PER_CLIENT + 1) + " from one address").isTrue();
            }
            try (Socket hpa = connect("127.0.0.2")) {
                assertThat(ask(hpa, HPA_GET).code()).isEqualTo(200);
            }
            // The held ones, idle since their answer, are still there and still served.
            assertThat(ask(held.get(0), LIVE).code()).isEqualTo(200);

            held.remove(held.size() - 1).close();
            SlowLoris.await("a new connection from " + crowd + " admitted once one has closed", DEADLINE, () -> {
                try (Socket s = connect(crowd)) {
                    return ask(s, LIVE).code() == 200;
                } catch (IOException | AssertionError refused) {
                    return false;
                }
            });
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        SlowLoris.await("the refusal counted", DEADLINE, () -> dropped("client-limit") >= before + 1);
    }
}
