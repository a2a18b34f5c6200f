package io.rwautoscaler.apiserver;

import org.eclipse.microprofile.config.ConfigProvider;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Where the app under a test profile with random ports listens, and what its own metrics say. */
final class Ports {

    private Ports() {
    }

    /** The HTTPS port actually bound ({@code quarkus.http.test-ssl-port=0} picks a free one). */
    static int tls() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
    }

    /** A counter's value from /q/metrics on the plain port, summed over series with all these labels; 0 when none. */
    static double counter(String name, String... labels) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            if (java.util.Arrays.stream(labels).allMatch(m.group(1)::contains)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
