package io.rwautoscaler.apiserver.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionCacheTest {

    /** A clock tests move by hand. */
    static final class MovingClock extends Clock {
        Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void answersExpireAfterTheTtl() {
        MovingClock clock = new MovingClock();
        DecisionCache<String, Boolean> cache = new DecisionCache<>(clock, Duration.ofSeconds(10), 100);
        cache.put("alice", true);
        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.get("alice")).contains(true);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("alice")).isEmpty();
    }

    @Test
    void staysBounded() {
        MovingClock clock = new MovingClock();
        DecisionCache<Integer, Boolean> cache = new DecisionCache<>(clock, Duration.ofSeconds(10), 3);
        for (int i = 0; i < 10; i++) {
            cache.put(i, true);
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        assertThat(cache.get(9)).contains(true);
    }

    @Test
    void aZeroTtlCachesNothing() {
        DecisionCache<String, Boolean> cache = new DecisionCache<>(new MovingClock(), Duration.ZERO, 3);
        cache.put("a", true);
        assertThat(cache.get("a")).isEmpty();
    }
}
