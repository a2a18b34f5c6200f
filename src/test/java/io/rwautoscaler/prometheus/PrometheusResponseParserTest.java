package io.rwautoscaler.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import io.rwautoscaler.core.model.Sample;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusResponseParserTest {

    private static final URI FROM = URI.create("http://127.0.0.1:9090");
    private final PrometheusResponseParser parser = new PrometheusResponseParser(new JsonFactory());

    private QueryResult parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), FROM);
    }

    @Test
    void vectorWithLabelsNaNAndFractionalTimes() {
        QueryResult r = parse("""
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"__name__":"q","namespace":"mon","pod":"a"},"value":[1700000000.123,"42"]},
                  {"metric":{"namespace":"mon","pod":"b"},"value":[1700000001,"NaN"]},
                  {"metric":{"namespace":"mon","pod":"c"},"value":[1700000002,"+Inf"]}]},
                 "warnings":["partial"]}""");
        assertThat(r.vector()).hasSize(3);
        Sample a = r.vector().get(0);
        assertThat(a.labels()).isEqualTo(Map.of("namespace", "mon", "pod", "a"));
        assertThat(a.value()).isEqualTo(42.0);
        assertThat(a.timestamp()).isEqualTo(Instant.ofEpochSecond(1700000000, 123_000_000));
        assertThat(r.vector().get(1).value()).isNaN();
        assertThat(r.vector().get(2).value()).isInfinite();
        assertThat(r.warnings()).containsExactly("partial");
        assertThat(r.matrix()).isEmpty();
        // one answer shares its repeated label values instead of holding 10,000 copies of the namespace
        assertThat(r.vector().get(0).label("namespace")).isSameAs(r.vector().get(1).label("namespace"));
    }

    @Test
    void resultBeforeResultTypeAndScalar() {
        QueryResult v = parse("""
                {"data":{"result":[{"metric":{},"value":[1,"3"]}],"resultType":"vector"},"status":"success"}""");
        assertThat(v.vector()).extracting(Sample::value).containsExactly(3.0);
        QueryResult s = parse("""
                {"status":"success","data":{"resultType":"scalar","result":[1700000000,"7.5"]}}""");
        assertThat(s.vector()).singleElement().satisfies(x -> {
            assertThat(x.labels()).isEmpty();
            assertThat(x.value()).isEqualTo(7.5);
        });
    }

    @Test
    void matrixSharesTheSeriesLabelsAcrossPoints() {
        QueryResult r = parse("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"pod":"a"},"values":[[1,"1"],[2,"2"],[3,"3"]]}]}}""");
        assertThat(r.matrix()).singleElement().satisfies(series -> {
            assertThat(series.labels()).isEqualTo(Map.of("pod", "a"));
            assertThat(series.points()).extracting(Sample::value).containsExactly(1.0, 2.0, 3.0);
            assertThat(series.points().get(0).labels()).isSameAs(series.points().get(2).labels());
        });
    }

    @Test
    void errorsAreClassified() {
        assertThatThrownBy(() -> parse("""
                {"status":"error","errorType":"bad_data","error":"parse error at char 3"}"""))
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.BAD_QUERY))
                .hasMessageContaining("bad_data: parse error at char 3");
        assertThatThrownBy(() -> parse("""
                {"status":"error","errorType":"execution","error":"query processing would load too many samples"}"""))
                .isInstanceOfSatisfying(PrometheusException.class,
                        e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.TOO_LARGE));
    }

    @Test
    void malformedAnswersAreBadResponsesNamingTheServer() {
        for (String body : new String[]{
                "",
                "[1,2]",
                "<html>502</html>",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[\"x\",\"1\"]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"abc\"]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"1\",2]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"1\"]}",
                "{\"status\":\"success\"}",
        }) {
            assertThatThrownBy(() -> parse(body)).as(body)
                    .isInstanceOfSatisfying(PrometheusException.class,
                            e -> assertThat(e.reason()).isEqualTo(PrometheusException.Reason.BAD_RESPONSE));
        }
    }

    @Test
    void labelValuesAreSharedAcrossAnswersAndUnsortedOrDuplicateNamesAreSorted() {
        String body = """
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"pod":"a","namespace":"mon","job":"agent","pod":"b"},"value":[1700000000,"1"]}]}}""";
        Sample first = parse(body).vector().get(0);
        Sample second = parse(body).vector().get(0);
        // Sorted by name, the last of a repeated name wins, as a map would have it.
        assertThat(first.labels().keySet()).containsExactly("job", "namespace", "pod");
        assertThat(first.labels()).isEqualTo(Map.of("job", "agent", "namespace", "mon", "pod", "b"));
        assertThat(first.labels()).isEqualTo(second.labels()).hasSameHashCodeAs(Map.of("job", "agent", "namespace", "mon", "pod", "b"));
        // The second answer's values are the first answer's String objects, not copies.
        assertThat(second.label("namespace")).isSameAs(first.label("namespace"));
        assertThat(second.label("pod")).isSameAs(first.label("pod"));
    }

    @Test
    void theSharedTableIsBounded() {
        PrometheusResponseParser.Interner table = new PrometheusResponseParser.Interner(3);
        for (int i = 0; i < 10; i++) {
            table.intern("v" + i);
        }
        assertThat(table.size()).isLessThanOrEqualTo(4);
        String a = table.intern(new String("again"));
        assertThat(table.intern(new String("again"))).isSameAs(a);
    }
}
