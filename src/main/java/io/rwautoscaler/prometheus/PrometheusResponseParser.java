package io.rwautoscaler.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rwautoscaler.core.model.Sample;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Maps the Prometheus HTTP API's JSON (also Thanos Query's) to {@link QueryResult}. */
final class PrometheusResponseParser {

    private final ObjectMapper mapper;

    PrometheusResponseParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    QueryResult parse(byte[] body, URI servedBy) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PrometheusException(PrometheusException.Reason.BAD_RESPONSE,
                    "not a Prometheus API response from " + servedBy + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new PrometheusException(PrometheusException.Reason.BAD_RESPONSE,
                    "unreadable response from " + servedBy + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new PrometheusException(PrometheusException.Reason.BAD_RESPONSE, "empty response from " + servedBy);
        }
        List<String> warnings = new ArrayList<>();
        root.path("warnings").forEach(w -> warnings.add(w.asText()));
        if (!"success".equals(root.path("status").asText())) {
            String type = root.path("errorType").asText("unknown");
            String msg = root.path("error").asText("no error message");
            throw new PrometheusException(classify(type, msg), "Prometheus " + servedBy + " answered " + type + ": " + msg);
        }
        JsonNode data = root.path("data");
        String resultType = data.path("resultType").asText();
        JsonNode result = data.path("result");
        List<Sample> vector = new ArrayList<>();
        List<QueryResult.Series> matrix = new ArrayList<>();
        switch (resultType) {
            case "vector" -> result.forEach(s -> vector.add(point(labels(s.path("metric")), s.path("value"))));
            case "scalar" -> vector.add(point(Map.of(), result));
            case "matrix" -> result.forEach(s -> {
                Map<String, String> labels = labels(s.path("metric"));
                List<Sample> points = new ArrayList<>();
                s.path("values").forEach(v -> points.add(point(labels, v)));
                matrix.add(new QueryResult.Series(labels, points));
            });
            default -> throw new PrometheusException(PrometheusException.Reason.BAD_RESPONSE,
                    "unexpected resultType '" + resultType + "' from " + servedBy);
        }
        return new QueryResult(vector, matrix, warnings, servedBy);
    }

    static PrometheusException.Reason classify(String errorType, String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("exceeded maximum resolution") || m.contains("too many samples") || m.contains("11,000 points")) {
            return PrometheusException.Reason.TOO_LARGE;
        }
        return switch (errorType) {
            case "bad_data" -> PrometheusException.Reason.BAD_QUERY;
            case "timeout", "canceled" -> PrometheusException.Reason.TIMEOUT;
            default -> PrometheusException.Reason.SERVER_ERROR;
        };
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = metric.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!"__name__".equals(e.getKey())) {
                labels.put(e.getKey(), e.getValue().asText());
            }
        }
        return labels;
    }

    /** A [unixSeconds, "value"] pair; Prometheus writes NaN and ±Inf as strings Java does not parse. */
    private static Sample point(Map<String, String> labels, JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2) {
            throw new PrometheusException(PrometheusException.Reason.BAD_RESPONSE, "malformed sample " + pair);
        }
        BigDecimal seconds = pair.get(0).decimalValue();
        Instant ts = Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
        return new Sample(labels, parseValue(pair.get(1).asText()), ts);
    }

    static double parseValue(String v) {
        return switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new PrometheusException(PrometheusException.Reason.BAD_RESPONSE, "malformed sample value '" + v + "'");
                }
            }
        };
    }
}
