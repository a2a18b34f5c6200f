package io.rwautoscaler.core.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MetricNameTest {

    @ParameterizedTest
    @CsvSource({
            "prometheus_remote_storage_queue_length, true",
            "job:rate5m,                             true",
            "_private,                               true",
            "1st,                                    false",
            "with-dash,                              false",
            "'',                                     false",
            "queue{pod=\"x\"},                       false",
    })
    void prometheusNames(String name, boolean valid) {
        assertThat(MetricName.valid(name)).isEqualTo(valid);
    }
}
