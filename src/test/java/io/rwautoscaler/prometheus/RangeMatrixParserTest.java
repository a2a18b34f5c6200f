package io.rwautoscaler.prometheus;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Range answers read straight into arrays, errors and warnings as the tree parser reads them. */
class RangeMatrixParserTest {

    static final URI FROM = URI.create("http://127.0.0.1:9090");
    final RangeMatrixParser parser = new RangeMatrixParser(new ObjectMapper().getFactory());

    RangeMatrix parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), FROM);
    }

    @Test
    void readsSeriesLabelsTimesAndValuesInAnyFieldOrder() {
        RangeMatrix m = parse("""
                {"data":{"result":[
                  {"values":[[1764072000,"0.5"],[1764072300.25,"NaN"],[1764072600,"+Inf"]],
                   "metric":{"__name__":"x","namespace":"monitoring","pod":"a","container":"c"}},
                  {"metric":{"pod":"b"},"values":[]}],
                 "resultType":"matrix"},
                 "warnings":["partial response: store 2 unavailable"],"status":"success"}""");
        assertThat(m.series()).hasSize(2);
        RangeMatrix.Series a = m.series().get(0);
        assertThat(a.labels()).containsOnlyKeys("namespace", "pod", "container");
        assertThat(a.epochMillis()).containsExactly(1764072000000L, 1764072300250L, 1764072600000L);
        assertThat(a.values()[0]).isEqualTo(0.5);
        assertThat(a.values()[1]).isNaN();
        assertThat(a.values()[2]).isInfinite();
        assertThat(m.series().get(1).epochMillis()).isEmpty();
        assertThat(m.warnings()).containsExactly("partial response: store 2 unavailable");
    }

    @Test
    void manyPointsGrowTheArrays() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 2016; i++) {
            values.append(i == 0 ? "" : ",").append('[').append(1764072000 + 300L * i).append(",\"").append(i).append("\"]");
        }
        RangeMatrix m = parse("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":["
                + values + "]}]}}");
        assertThat(m.series().get(0).values()).hasSize(2016);
        assertThat(m.series().get(0).values()[2015]).isEqualTo(2015.0);
    }

    @Test
    void errorsAreClassifiedLikeEveryOtherAnswer() {
        assertThatThrownBy(() -> parse("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum "
                + "resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)\"}"))
                .isInstanceOfSatisfying(PrometheusException.class, e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.TOO_LARGE));
        assertThatThrownBy(() -> parse("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}"))
                .isInstanceOfSatisfying(PrometheusException.class, e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.TIMEOUT));
        assertThatThrownBy(() -> parse("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
                .isInstanceOfSatisfying(PrometheusException.class, e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.BAD_RESPONSE));
        assertThatThrownBy(() -> parse("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"values\":[[1,\"2\""))
                .isInstanceOfSatisfying(PrometheusException.class, e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.BAD_RESPONSE));
    }

    @Test
    void aRangeAnswerOverTheSeriesLimitIsCountedNotHeld() {
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int i = 0; i < 5; i++) {
            b.append(i == 0 ? "" : ",").append("{\"metric\":{\"pod\":\"p").append(i).append("\"},\"values\":[[1,\"1\"]]}");
        }
        byte[] body = b.append("]}}").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(body, FROM, 5).series()).hasSize(5);
        assertThatThrownBy(() -> parser.parse(body, FROM, 4))
                .isInstanceOfSatisfying(SeriesLimitException.class, e -> {
                    assertThat(e.seen()).isEqualTo(5);
                    assertThat(e.reason()).isEqualTo(PrometheusException.Reason.TOO_MANY_SERIES);
                })
                .hasMessageContaining("5 series").hasMessageContaining("autoscaler.metrics.max-series");
    }

    @Test
    void wronglyShapedRangeAnswersAreErrors() {
        for (String body : new String[]{
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":\"nope\"}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"a\"}}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":\"x\"}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":1},\"values\":[]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[7]}}",
                "{\"status\":\"success\",\"data\":\"nope\"}"}) {
            assertThatThrownBy(() -> parse(body)).as(body).isInstanceOf(PrometheusException.class);
        }
    }
}
