package io.rwautoscaler.apiserver;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The request-head clock of one connection, on Netty's embedded channel with its clock frozen and moved by hand. */
class HeadDeadlineTest {

    static final long TIMEOUT_MS = 10_000;

    int timeouts;
    final ConnectionGuard.Drops drops = new ConnectionGuard.Drops() {
        @Override
        public void headerTimeout() {
            timeouts++;
        }

        @Override
        public void clientLimit() {
            throw new AssertionError("not this handler's business");
        }
    };

    ConnectionGuard.HeadDeadline deadline = new ConnectionGuard.HeadDeadline(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS), drops);

    EmbeddedChannel accepted() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addFirst(ConnectionGuard.HeadDeadline.NAME, deadline);
        ch.pipeline().fireChannelActive();
        return ch;
    }

    static void after(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    static void bytes(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
        ch.releaseInbound();
    }

    @Test
    void aConnectionThatSendsNoWholeHeadIsClosedAtTheTimeoutWhateverItTrickles() {
        EmbeddedChannel ch = accepted();
        for (int i = 0; i < 9; i++) {
            bytes(ch, "G");
            after(ch, 1_000);
        }
        assertThat(ch.isOpen()).isTrue();
        after(ch, 1_001);
        assertThat(ch.isOpen()).isFalse();
        assertThat(timeouts).isEqualTo(1);
    }

    @Test
    void aHeadInTimeStopsTheClockAndAnIdleKeptAliveConnectionStaysOpen() {
        EmbeddedChannel ch = accepted();
        bytes(ch, "GET / HTTP/1.1\r\n\r\n");
        after(ch, 500);
        deadline.requestStarted(false);
        after(ch, 3 * TIMEOUT_MS);
        assertThat(ch.isOpen()).as("a slow answer is not the client's fault").isTrue();
        deadline.requestEnded();
        after(ch, 3 * TIMEOUT_MS);
        assertThat(ch.isOpen()).as("idle, no byte of a next request: the idle timeout's business").isTrue();
        assertThat(timeouts).isZero();
    }

    @Test
    void theNextRequestOnAKeptAliveConnectionIsTimedFromItsFirstByte() {
        EmbeddedChannel ch = accepted();
        deadline.requestStarted(false);
        deadline.requestEnded();
        after(ch, 60_000);
        bytes(ch, "GET /q/health HTTP/1.1\r\nX-");
        after(ch, TIMEOUT_MS - 1);
        assertThat(ch.isOpen()).isTrue();
        after(ch, 2);
        assertThat(ch.isOpen()).isFalse();
        assertThat(timeouts).isEqualTo(1);
    }

    @Test
    void twoRequestsInFlightKeepTheClockStoppedUntilBothAreAnswered() {
        EmbeddedChannel ch = accepted();
        deadline.requestStarted(true);
        deadline.requestStarted(true);
        deadline.requestEnded();
        bytes(ch, "frame");
        after(ch, 3 * TIMEOUT_MS);
        assertThat(ch.isOpen()).isTrue();
        deadline.requestEnded();
        bytes(ch, "ping frame");
        after(ch, 3 * TIMEOUT_MS);
        assertThat(ch.isOpen()).as("HTTP/2 frames arrive whole: after its first request only the idle timeout applies")
                .isTrue();
    }

    @Test
    void aClosedConnectionCountsNoTimeout() {
        EmbeddedChannel ch = accepted();
        ch.close();
        after(ch, 3 * TIMEOUT_MS);
        assertThat(timeouts).isZero();
    }
}
