package io.rwautoscaler.lab.calibration;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottlingProxyTest {

    /** A prometheus.WriteRequest with {@code series} time series of {@code samplesEach} samples, snappy-compressed. */
    static byte[] writeRequest(int series, int samplesEach) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        CodedOutputStream req = CodedOutputStream.newInstance(request);
        for (int s = 0; s < series; s++) {
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(ts);
            out.writeByteArray(1, label("__name__", "calib_load"));          // labels
            out.writeByteArray(1, label("series", Integer.toString(s)));
            for (int i = 0; i < samplesEach; i++) {
                ByteArrayOutputStream sample = new ByteArrayOutputStream();
                CodedOutputStream so = CodedOutputStream.newInstance(sample);
                so.writeDouble(1, i);                                         // value
                so.writeInt64(2, 1_700_000_000_000L + i * 1000L);             // timestamp (ms)
                so.flush();
                out.writeBytes(2, ByteString.copyFrom(sample.toByteArray())); // samples
            }
            out.flush();
            req.writeBytes(1, ByteString.copyFrom(ts.toByteArray()));         // timeseries
        }
        req.flush();
        return Snappy.compress(request.toByteArray());
    }

    private static byte[] label(String name, String value) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(b);
        out.writeString(1, name);
        out.writeString(2, value);
        out.flush();
        return b.toByteArray();
    }

    @Test
    void countsTheSamplesOfARemoteWriteRequest() throws IOException {
        assertThat(ThrottlingProxy.countSamples(writeRequest(3, 4))).isEqualTo(12);
        assertThat(ThrottlingProxy.countSamples(writeRequest(100, 1))).isEqualTo(100);
        assertThat(ThrottlingProxy.countSamples(Snappy.compress(new byte[0]))).isZero();
    }

    @Test
    void forwardsWhatItsCapacityAdmitsAndRefusesTheRestWith503() throws Exception {
        AtomicInteger forwarded = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/api/v1/write", ex -> {
            forwarded.addAndGet(ThrottlingProxy.countSamples(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        // 300 samples/s with one second of burst, its clock held still: the first 200-sample request passes, the
        // second does not
        try (ThrottlingProxy proxy = new ThrottlingProxy(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/api/v1/write"), 300, Duration.ZERO, 503, () -> 0L)) {
            HttpClient client = HttpClient.newHttpClient();
            byte[] body = writeRequest(200, 1);
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/api/v1/write"))
                    .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            assertThat(client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
            assertThat(client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(503);
            assertThat(forwarded.get()).isEqualTo(200);
            assertThat(proxy.acceptedSamples.get()).isEqualTo(200);
            assertThat(proxy.refusedSamples.get()).isEqualTo(200);
            HttpRequest garbage = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/api/v1/write"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build();
            assertThat(client.send(garbage, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(400);
        } finally {
            receiver.stop(0);
        }
    }
}
