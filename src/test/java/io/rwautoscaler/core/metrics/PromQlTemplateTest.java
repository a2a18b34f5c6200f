package io.rwautoscaler.core.metrics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromQlTemplateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "up{<<.Matchers>>}|up{cluster=\"c3\"}",
            "rate(x{<<.Matchers>>}[<<.Window>>])|rate(x{cluster=\"c3\"}[5m])",
            "sum(x)|sum(x)",
            "x{<< .Matchers >>}|x{cluster=\"c3\"}",
    })
    void rendersKnownPlaceholders(String template, String expected) {
        assertThat(PromQlTemplate.parse(template).render(Map.of("Matchers", "cluster=\"c3\"", "Window", "5m"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x{<<.Series>>}|unknown placeholder <<.Series>>",
            "x{<<.Matchers}|malformed placeholder",
            "' '|empty PromQL template",
    })
    void rejectsBadTemplates(String template, String message) {
        assertThatThrownBy(() -> PromQlTemplate.parse(template)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
