package io.rwautoscaler.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rwautoscaler.core.model.Sample;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps the Prometheus HTTP API's JSON (also Thanos Query's) to {@link QueryResult}, token by token: the JSON tree
 * of a 10,000-series answer is several times the answer's size, and the refresh reads one every few seconds.
 * Label values are shared within an answer and across answers (the same namespace, job or URL repeats on every
 * series, and the same pods come back every refresh): a new snapshot points at the strings the previous one already
 * holds instead of 10,000 fresh copies the garbage collector would have to move.
 */
final class PrometheusResponseParser {

    /** Distinct label values kept for sharing; past this the table starts over (a fleet churning pod names). */
    static final int SHARED_VALUES_LIMIT = 100_000;

    private final JsonFactory json;
    private final Interner shared = new Interner(SHARED_VALUES_LIMIT);

    PrometheusResponseParser(JsonFactory json) {
        this.json = json;
    }

    QueryResult parse(byte[] body, URI servedBy) {
        try (JsonParser p = json.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw bad("empty response from " + servedBy);
            }
            if (first != JsonToken.START_OBJECT) {
                throw bad("not a Prometheus API response from " + servedBy + ": a JSON " + first.asString()
                        + " where an object was expected");
            }
            String status = null;
            String errorType = "unknown";
            String error = "no error message";
            List<String> warnings = new ArrayList<>();
            Data data = null;
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
                                p.skipChildren();
                            }
                        }
                    }
                    case "data" -> data = readData(p, shared, servedBy);
                    default -> p.skipChildren();
                }
            }
            if (!"success".equals(status)) {
                throw new PrometheusException(classify(errorType, error),
                        "Prometheus " + servedBy + " answered " + errorType + ": " + error);
            }
            if (data == null || data.resultType == null) {
                throw bad("unexpected resultType '' from " + servedBy);
            }
            if (!data.resultTypeKnown()) {
                throw bad("unexpected resultType '" + data.resultType + "' from " + servedBy);
            }
            return new QueryResult(data.vector, data.matrix, warnings, servedBy);
        } catch (IOException e) {
            throw bad("not a Prometheus API response from " + servedBy + ": " + e.getMessage());
        }
    }

    /** What {@code data} holds; {@code result} may come before {@code resultType}, so both shapes are kept. */
    private static final class Data {
        String resultType;
        final List<Sample> vector = new ArrayList<>();
        final List<QueryResult.Series> matrix = new ArrayList<>();

        boolean resultTypeKnown() {
            return switch (resultType) {
                case "vector", "scalar", "matrix" -> true;
                default -> false;
            };
        }
    }

    private static Data readData(JsonParser p, Interner shared, URI servedBy) throws IOException {
        Data d = new Data();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return d;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("resultType")) {
                d.resultType = p.getText();
            } else if (field.equals("result") && value == JsonToken.START_ARRAY) {
                // A scalar's result is one [time, "value"] pair; a vector's and a matrix's, an array of series.
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    d.vector.add(pointAfterTime(p, Map.of(), servedBy));
                    continue;
                }
                while (t == JsonToken.START_OBJECT) {
                    readSeries(p, d, shared, servedBy);
                    t = p.nextToken();
                }
                if (t != JsonToken.END_ARRAY) {
                    throw bad("malformed result from " + servedBy + ": " + t.asString() + " where a series was expected");
                }
            } else {
                p.skipChildren();
            }
        }
        return d;
    }

    private static void readSeries(JsonParser p, Data d, Interner shared, URI servedBy) throws IOException {
        Map<String, String> labels = Map.of();
        List<Sample> values = null;
        Sample value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "metric" -> labels = readLabels(p, shared);
                case "value" -> value = point(p, Map.of(), servedBy);
                case "values" -> {
                    values = new ArrayList<>();
                    if (t != JsonToken.START_ARRAY) {
                        throw bad("malformed sample from " + servedBy);
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        values.add(point(p, Map.of(), servedBy));
                    }
                }
                default -> p.skipChildren(); // "histogram(s)" of native histograms
            }
        }
        Sample.Labels l = Sample.Labels.of(labels);
        if (value != null) {
            d.vector.add(new Sample(l, value.value(), value.timestamp()));
        }
        if (values != null) {
            List<Sample> points = new ArrayList<>(values.size());
            values.forEach(s -> points.add(new Sample(l, s.value(), s.timestamp())));
            d.matrix.add(new QueryResult.Series(l, points));
        }
    }

    private static Sample.Labels readLabels(JsonParser p, Interner shared) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Sample.Labels.of(Map.of());
        }
        String[] names = new String[12];
        String[] values = new String[12];
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName(); // Jackson canonicalises field names: one String per distinct name
            p.nextToken();
            String v = p.getText();
            if (!"__name__".equals(name)) {
                if (n == names.length) {
                    names = Arrays.copyOf(names, 2 * n);
                    values = Arrays.copyOf(values, 2 * n);
                }
                names[n] = name;
                values[n++] = shared.intern(v);
            }
            p.skipChildren();
        }
        return Sample.Labels.ofArrays(Arrays.copyOf(names, n), Arrays.copyOf(values, n));
    }

    /** A bounded string table, safe for the refresh and the loops parsing at the same time. */
    static final class Interner {
        private final int limit;
        private volatile ConcurrentHashMap<String, String> table = new ConcurrentHashMap<>();

        Interner(int limit) {
            this.limit = limit;
        }

        String intern(String s) {
            ConcurrentHashMap<String, String> t = table;
            String known = t.putIfAbsent(s, s);
            if (known != null) {
                return known;
            }
            if (t.size() > limit) {
                table = new ConcurrentHashMap<>();
            }
            return s;
        }

        int size() {
            return table.size();
        }
    }

    /** A [unixSeconds, "value"] pair; Prometheus writes NaN and ±Inf as strings Java does not parse. */
    private static Sample point(JsonParser p, Map<String, String> labels, URI servedBy) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad("malformed sample from " + servedBy + ": " + p.currentToken().asString() + " where [time, \"value\"] was expected");
        }
        JsonToken t = p.nextToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw bad("malformed sample from " + servedBy + ": the time is not a number");
        }
        return pointAfterTime(p, labels, servedBy);
    }

    /** The rest of a pair whose time is the current token; ends on the pair's END_ARRAY. */
    private static Sample pointAfterTime(JsonParser p, Map<String, String> labels, URI servedBy) throws IOException {
        Instant ts = PrometheusTime.instant(p.getDoubleValue()); // a double, not a BigDecimal per sample
        JsonToken v = p.nextToken();
        if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            throw bad("malformed sample from " + servedBy + ": no value after the time");
        }
        double value = parseValue(p.getText());
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw bad("malformed sample from " + servedBy + ": more than [time, \"value\"]");
        }
        return new Sample(labels, value, ts);
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

    private static PrometheusException bad(String message) {
        return new PrometheusException(PrometheusException.Reason.BAD_RESPONSE, message);
    }
}
