package io.rwautoscaler.sizing;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The report's edge: Status errors before the first run and for a bad format; CSV quoting. */
@QuarkusTest
class RightSizingResourceTest {

    @Test
    void beforeTheFirstRunItIs503WithAStatusThatSaysWhen() {
        given().get("/api/v1/rightsizing").then().statusCode(503).contentType("application/json")
                .body("kind", equalTo("Status")).body("reason", equalTo("ServiceUnavailable"))
                .body("message", containsString("the first run starts 30s after start-up and reads 1w of usage"));
    }

    @Test
    void anUnknownFormatIs400() {
        given().get("/api/v1/rightsizing?format=xml").then().statusCode(400)
                .body("kind", equalTo("Status")).body("message", containsString("format must be json or csv"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "200m|200m",
            "a, b|\"a, b\"",
            "say \"hi\"|\"say \"\"hi\"\"\"",
            "cpu p95 0.18 cores × 1.1 = 0.198 → 200m|cpu p95 0.18 cores × 1.1 = 0.198 → 200m",
    })
    void csvFieldsAreQuotedAsRfc4180Says(String value, String field) {
        assertThat(RightSizingCsv.field(value)).isEqualTo(field);
    }
}
