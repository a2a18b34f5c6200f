package io.rwautoscaler.core.shards;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** "The worst pod counts", as a table: pods' figures in, the one observation the tuner decides on out. */
class WorstPodTest {

    /** "" is a pod without the figure; "NaN" a pod whose figure is not finite. */
    static List<Map<QueueFigure, Double>> pods(QueueFigure f, String values) {
        List<Map<QueueFigure, Double>> out = new ArrayList<>();
        for (String v : values.split("/", -1)) {
            Map<QueueFigure, Double> pod = new EnumMap<>(QueueFigure.class);
            if (!v.isBlank()) {
                pod.put(f, Double.parseDouble(v.trim()));
            }
            out.add(pod);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} over pods {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "PENDING_SAMPLES | 100/9000      | 9000",
            "PENDING_SAMPLES | 100/          | 100",
            "PENDING_SAMPLES | /             | ",
            "PENDING_SAMPLES | NaN/5         | 5",
            "LAG_SECONDS     | 3/40/7        | 40",
            "SHARDS_DESIRED  | 12.5/3        | 12.5",
            "RETRIED_RATE    | 0/0.2         | 0.2",
    })
    void theHighestPodFigureCounts(QueueFigure figure, String values, Double expected) {
        QueueObservation o = WorstPod.of(pods(figure, values), QueueConfig.unset());
        OptionalDouble got = switch (figure) {
            case PENDING_SAMPLES -> o.pendingSamples();
            case LAG_SECONDS -> o.lagSeconds();
            case SHARDS_DESIRED -> o.shardsDesired();
            case RETRIED_RATE -> o.retriedRate();
            default -> throw new IllegalArgumentException(figure.name());
        };
        assertThat(got).isEqualTo(expected == null ? OptionalDouble.empty() : OptionalDouble.of(expected));
    }

    @ParameterizedTest(name = "time at 0 over pods {0} = {1}s")
    @CsvSource(delimiter = '|', value = {
            "3600/0     | 0",
            "3600/1800  | 1800",
            "3600/      | ",
            "3600/NaN   | ",
    })
    void idleMeansEveryPodIdleAndUnknownIfAnyPodIs(String values, Long seconds) {
        QueueObservation o = WorstPod.of(pods(QueueFigure.QUEUE_AT_ZERO_FOR_SECONDS, values), QueueConfig.unset());
        assertThat(o.queueAtZeroFor()).isEqualTo(seconds == null ? java.util.Optional.empty()
                : java.util.Optional.of(Duration.ofSeconds(seconds)));
    }

    @ParameterizedTest(name = "configured max {0}, pods {1}: running {2}")
    @CsvSource(delimiter = '|', value = {
            "200 | 200/100 | 100",
            "200 | 200/200 | 200",
            "100 | 200/100 | 200",
            "200 | /0      | ",
    })
    void aPodOnOtherBoundsThanConfiguredIsWhatRuns(int configuredMax, String values, Integer running) {
        QueueObservation o = WorstPod.of(pods(QueueFigure.SHARDS_MAX, values), QueueConfig.of(1, configuredMax, 20000, 2000));
        assertThat(o.runningMaxShards()).isEqualTo(running == null ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(running));
    }

    @Test
    void noPodsIsUnknown() {
        assertThat(WorstPod.of(List.of(), QueueConfig.unset())).isEqualTo(QueueObservation.unknown());
    }
}
