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
        return parse(body, servedBy, Integer.MAX_VALUE);
    }

    /** As {@link #parse(byte[], URI)}, holding at most {@code maxSeries} series (the rest only counted). */
    RangeMatrix parse(byte[] body, URI servedBy, int maxSeries) {
        return parse(new java.io.ByteArrayInputStream(body), servedBy, maxSeries);
    }

    /** As {@link #parse(byte[], URI, int)}, reading the answer as it streams. */
    RangeMatrix parse(java.io.InputStream body, URI servedBy, int maxSeries) {
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
            int[] seen = {-1};
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
                    case "data" -> resultType = readData(p, series, servedBy, maxSeries, seen);
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
            if (seen[0] < 0) {
                throw bad("malformed answer from " + servedBy + ": resultType 'matrix' without a result array");
            }
            if (seen[0] > maxSeries) {
                throw new SeriesLimitException(seen[0], maxSeries, servedBy);
            }
            return new RangeMatrix(series, warnings, servedBy);
        } catch (IOException e) {
            throw bad("not a Prometheus API response from " + servedBy + ": " + e.getMessage());
        }
    }

    /** Reads {@code data} ({@code resultType}, {@code result}) and returns the result type. */
    private static String readData(JsonParser p, List<RangeMatrix.Series> out, URI servedBy, int maxSeries, int[] seen)
            throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad("malformed answer from " + servedBy + ": data is a JSON " + p.currentToken().asString()
                    + " where an object was expected");
        }
        String resultType = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("resultType")) {
                resultType = p.getText();
            } else if (field.equals("result")) {
                if (value != JsonToken.START_ARRAY) {
                    throw bad("malformed answer from " + servedBy + ": result is a JSON " + value.asString()
                            + " where an array was expected");
                }
                seen[0] = 0;
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                    if (++seen[0] > maxSeries) {
                        p.skipChildren(); // counted, not held
                    } else {
                        RangeMatrix.Series s = readSeries(p, servedBy);
                        if (s != null) {
                            out.add(s);
                        }
                    }
                }
                if (t != JsonToken.END_ARRAY) {
                    throw bad("malformed result from " + servedBy + ": " + t.asString() + " where a series was expected");
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
        boolean hasValues = false;
        boolean histogram = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("metric")) {
                if (value != JsonToken.START_OBJECT) {
                    throw bad("malformed series from " + servedBy + ": metric is not an object of labels");
                }
                Map<String, String> l = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() != JsonToken.VALUE_STRING) {
                        throw bad("malformed series from " + servedBy + ": label " + name + " is not a string");
                    }
                    if (!"__name__".equals(name)) {
                        l.put(name, p.getText());
                    }
                }
                labels = Map.copyOf(l);
            } else if (field.equals("values")) {
                if (value != JsonToken.START_ARRAY) {
                    throw bad("malformed series from " + servedBy + ": values is not an array");
                }
                hasValues = true;
                times = new long[256];
                values = new double[256];
                JsonToken pt;
                while ((pt = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (pt != JsonToken.START_ARRAY) {
                        throw bad("malformed sample from " + servedBy + ": " + pt.asString() + " where [time, \"value\"] was expected");
                    }
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT && p.currentToken() != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw bad("malformed sample from " + servedBy);
                    }
                    long millis = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() * 1000
                            : PrometheusTime.millis(p.getDoubleValue());
                    JsonToken vt = p.nextToken();
                    if (vt != JsonToken.VALUE_STRING && vt != JsonToken.VALUE_NUMBER_INT && vt != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw bad("malformed sample from " + servedBy + ": no value after the time");
                    }
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
                histogram |= field.startsWith("histogram"); // native histograms: not usage
                p.skipChildren();
            }
        }
        if (!hasValues) {
            if (histogram) {
                return null;
            }
            throw bad("malformed series from " + servedBy + ": no \"values\" in a range answer");
        }
        return new RangeMatrix.Series(labels, Arrays.copyOf(times, n), Arrays.copyOf(values, n));
    }

    private static PrometheusException bad(String message) {
        return new PrometheusException(PrometheusException.Reason.BAD_RESPONSE, message);
    }
}
