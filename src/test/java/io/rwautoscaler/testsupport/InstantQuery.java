package io.rwautoscaler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code GET /api/v1/query} against a real Prometheus. Deliberately independent of the product's
 * own Prometheus client, so end-to-end tests compare the product against a separate reading.
 */
public final class InstantQuery {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private InstantQuery() {
    }

    /** The result vector (a scalar becomes one series without labels); throws on an error response. */
    public static List<Series> run(String baseUrl, String promql) {
        return get(URI.create(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    /** The result vector of {@code promql} evaluated at {@code at} (for backfilled history). */
    public static List<Series> run(String baseUrl, String promql, java.time.Instant at) {
        return get(URI.create(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + at.getEpochSecond()));
    }

    private static List<Series> get(URI uri) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + " -> " + response.statusCode() + ", not JSON: " + response.body());
        }
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("GET " + uri + " -> " + response.statusCode() + ": " + response.body());
        }
        JsonNode data = body.path("data");
        List<Series> result = new ArrayList<>();
        switch (data.path("resultType").asText()) {
            case "vector" -> data.path("result").forEach(item ->
                    result.add(new Series(labels(item.path("metric")), value(item.path("value")))));
            case "scalar" -> result.add(new Series(Map.of(), value(data.path("result"))));
            default -> throw new IllegalStateException("not a vector or scalar: " + response.body());
        }
        return result;
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new TreeMap<>(); // sorted: readable in assertion messages
        metric.properties().forEach(field -> labels.put(field.getKey(), field.getValue().asText()));
        return Collections.unmodifiableMap(labels);
    }

    // [unixSeconds, "value"]; Prometheus spells infinities +Inf/-Inf, which Double.parseDouble rejects.
    private static double value(JsonNode pair) {
        String text = pair.path(1).asText();
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
