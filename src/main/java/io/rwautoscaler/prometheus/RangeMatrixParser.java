package io.rwautoscaler.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code query_range} answer token by token into {@link RangeMatrix}, without a JSON tree in between
 * (the tree of a large answer is several times the size of the answer). Errors and warnings are read as
 * {@link PrometheusResponseParser} reads them, and classified the same way.
 */
final class RangeMatrixParser {

    private final JsonFactory json;

    RangeMatrixParser(JsonFactory json) {
        this.json = json;
    }

    RangeMatrix parse(byte[] body, URI servedBy) {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad("empty response from " + servedBy);
            }
            String status = null;
            String errorType = "unknown";
            String error = "no error message";
            String resultType = null;
            List<String> warnings = new ArrayList<>();
            List<RangeMatrix.Series> series = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> status = p.getText();
                    case "errorType" -> errorType = p.getText();
                    case "error" -> error = p.getText();
                    case "warnings" -> {
                        if (value == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                warnings.add(p.getText());
                            }
                        }
                    }
                    case "data" -> resultType = readData(p, series, servedBy);
                    default -> p.skipChildren();
                }
            }
            if (!"success".equals(status)) {
                throw new PrometheusException(PrometheusResponseParser.classify(errorType, error),
                        "Prometheus " + servedBy + " answered " + errorType + ": " + error);
            }
            if (!"matrix".equals(resultType)) {
                throw bad("unexpected resultType '" + resultType + "' from " + servedBy + " for a range query");
            }
            return new RangeMatrix(series, warnings, servedBy);
        } catch (IOException e) {
            throw bad("not a Prometheus API response from " + servedBy + ": " + e.getMessage());
        }
    }

    /** Reads {@code data} ({@code resultType}, {@code result}) and returns the result type. */
    private static String readData(JsonParser p, List<RangeMatrix.Series> out, URI servedBy) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String resultType = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("resultType")) {
                resultType = p.getText();
            } else if (field.equals("result") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    out.add(readSeries(p, servedBy));
                }
            } else {
                p.skipChildren();
            }
        }
        return resultType;
    }

    private static RangeMatrix.Series readSeries(JsonParser p, URI servedBy) throws IOException {
        Map<String, String> labels = Map.of();
        long[] times = new long[0];
        double[] values = new double[0];
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("metric") && value == JsonToken.START_OBJECT) {
                Map<String, String> l = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (!"__name__".equals(name)) {
                        l.put(name, p.getText());
                    }
                }
                labels = Map.copyOf(l);
            } else if (field.equals("values") && value == JsonToken.START_ARRAY) {
                times = new long[256];
                values = new double[256];
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT && p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw bad("malformed sample from " + servedBy);
                    }
                    long millis = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() * 1000
                            : PrometheusTime.millis(p.getDoubleValue());
                    p.nextToken();
                    double v = PrometheusResponseParser.parseValue(p.getText());
                    if (p.nextToken() != JsonToken.END_ARRAY) {
                        throw bad("malformed sample from " + servedBy);
                    }
                    if (n == times.length) {
                        times = Arrays.copyOf(times, 2 * n);
                        values = Arrays.copyOf(values, 2 * n);
                    }
                    times[n] = millis;
                    values[n] = v;
                    n++;
                }
            } else {
                p.skipChildren(); // "histograms" of native histograms: not usage
            }
        }
        return new RangeMatrix.Series(labels, Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }

    private static PrometheusException bad(String message) {
        return new PrometheusException(PrometheusException.Reason.BAD_RESPONSE, message);
    }
}
