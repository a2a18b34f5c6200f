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
        return parse(body, servedBy, Integer.MAX_VALUE);
    }

    /**
     * As {@link #parse(byte[], URI)}, holding at most {@code maxSeries} series: past the limit the rest are only
     * counted (skipped token by token, never held) and the answer fails with {@link SeriesLimitException}.
     */
    QueryResult parse(byte[] body, URI servedBy, int maxSeries) {
        return parse(new java.io.ByteArrayInputStream(body), servedBy, maxSeries);
    }

    /** As {@link #parse(byte[], URI, int)}, reading the answer as it streams. */
    QueryResult parse(java.io.InputStream body, URI servedBy, int maxSeries) {
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
                    case "data" -> data = readData(p, shared, servedBy, maxSeries);
                    default -> p.skipChildren();
                }
            }
            if (!"success".equals(status)) {
                throw new PrometheusException(classify(errorType, error),
                        "Prometheus " + servedBy + " answered " + errorType + ": " + error);
            }
            if (data == null) {
                throw bad("malformed answer from " + servedBy + ": no data object");
            }
            if (data.resultType == null) {
                throw bad("unexpected resultType '' from " + servedBy);
            }
            if (!data.resultTypeKnown()) {
                throw bad("unexpected resultType '" + data.resultType + "' from " + servedBy);
            }
            data.checkShape(servedBy);
            if (data.seen > maxSeries) {
                throw new SeriesLimitException(data.seen, maxSeries, servedBy);
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
        /** What {@code result} held: null = absent, else "pair" (a scalar), "value" (instant) or "values" (range). */
        String resultShape;
        /** Series in the answer, held or only counted past the limit. */
        int seen;
        /**
         * Label-name arrays and times shared by the answer's series: the series of one query nearly always carry
         * the same label names, and an instant answer stamps every series with the same evaluation time, so 100,000
         * series hold a handful of each instead of 100,000 (issue 18: memory per served series).
         */
        private final List<String[]> names = new ArrayList<>();
        private final java.util.HashMap<Long, Instant> times = new java.util.HashMap<>();
        private static final int SHARED_NAMES = 32;
        private static final int SHARED_TIMES = 4096;

        String[] sharedNames(String[] n, int length) {
            for (int i = names.size() - 1; i >= 0; i--) {
                String[] known = names.get(i);
                if (Arrays.equals(known, 0, known.length, n, 0, length)) {
                    return known;
                }
            }
            String[] copy = Arrays.copyOf(n, length);
            if (names.size() < SHARED_NAMES) {
                names.add(copy);
            }
            return copy;
        }

        Instant instant(double seconds) {
            long millis = PrometheusTime.millis(seconds);
            Instant known = times.get(millis);
            if (known != null) {
                return known;
            }
            Instant t = Instant.ofEpochMilli(millis);
            if (times.size() < SHARED_TIMES) {
                times.put(millis, t);
            }
            return t;
        }

        /** A result that does not fit its resultType is an error, never an empty success (issue 18). */
        void checkShape(URI servedBy) {
            if (resultShape == null) {
                throw bad("malformed answer from " + servedBy + ": resultType '" + resultType + "' without a result array");
            }
            String expected = switch (resultType) {
                case "scalar" -> "pair";
                case "vector" -> "value";
                default -> "values";
            };
            if (!resultShape.equals("empty") && !resultShape.equals(expected)) {
                throw bad("malformed answer from " + servedBy + ": resultType '" + resultType + "' but the result holds "
                        + describe(resultShape));
            }
            if (resultShape.equals("empty") && resultType.equals("scalar")) {
                throw bad("malformed answer from " + servedBy + ": resultType 'scalar' with an empty result");
            }
        }

        private static String describe(String shape) {
            return switch (shape) {
                case "pair" -> "a scalar [time, \"value\"]";
                case "value" -> "instant samples (\"value\")";
                default -> "range samples (\"values\")";
            };
        }

        boolean resultTypeKnown() {
            return switch (resultType) {
                case "vector", "scalar", "matrix" -> true;
                default -> false;
            };
        }
    }

    private static Data readData(JsonParser p, Interner shared, URI servedBy, int maxSeries) throws IOException {
        Data d = new Data();
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad("malformed answer from " + servedBy + ": data is a JSON " + p.currentToken().asString()
                    + " where an object was expected");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("resultType")) {
                if (value != JsonToken.VALUE_STRING) {
                    throw bad("malformed answer from " + servedBy + ": resultType is not a string");
                }
                d.resultType = p.getText();
            } else if (field.equals("result")) {
                if (value != JsonToken.START_ARRAY) {
                    throw bad("malformed answer from " + servedBy + ": result is a JSON " + value.asString()
                            + " where an array was expected");
                }
                // A scalar's result is one [time, "value"] pair; a vector's and a matrix's, an array of series.
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    d.vector.add(pointAfterTime(p, d, Map.of(), servedBy));
                    d.resultShape = "pair";
                    d.seen = 1;
                    continue;
                }
                d.resultShape = "empty";
                while (t == JsonToken.START_OBJECT) {
                    if (++d.seen > maxSeries) {
                        p.skipChildren(); // counted, not held: an answer past the limit must not fill the heap
                    } else {
                        readSeries(p, d, shared, servedBy);
                    }
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
        boolean histogram = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "metric" -> labels = readLabels(p, d, shared, servedBy);
                case "value" -> value = point(p, d, Map.of(), servedBy);
                case "values" -> {
                    values = new ArrayList<>();
                    if (t != JsonToken.START_ARRAY) {
                        throw bad("malformed sample from " + servedBy);
                    }
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        values.add(point(p, d, Map.of(), servedBy));
                    }
                }
                case "histogram", "histograms" -> {
                    histogram = true; // native histograms: not a value this service serves
                    p.skipChildren();
                }
                default -> p.skipChildren();
            }
        }
        if (histogram && value == null && values == null) {
            return;
        }
        String shape = value != null && values == null ? "value" : values != null && value == null ? "values" : null;
        if (shape == null) {
            throw bad("malformed series from " + servedBy + ": " + (value == null ? "neither \"value\" nor \"values\""
                    : "both \"value\" and \"values\""));
        }
        if (!d.resultShape.equals("empty") && !d.resultShape.equals(shape)) {
            throw bad("malformed result from " + servedBy + ": instant and range series mixed");
        }
        d.resultShape = shape;
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

    private static Sample.Labels readLabels(JsonParser p, Data d, Interner shared, URI servedBy) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad("malformed series from " + servedBy + ": metric is a JSON " + p.currentToken().asString()
                    + " where an object of labels was expected");
        }
        String[] names = new String[12];
        String[] values = new String[12];
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName(); // Jackson canonicalises field names: one String per distinct name
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad("malformed series from " + servedBy + ": label " + name + " is not a string");
            }
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
        return Sample.Labels.ofArrays(d.sharedNames(names, n), Arrays.copyOf(values, n));
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
    private static Sample point(JsonParser p, Data d, Map<String, String> labels, URI servedBy) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad("malformed sample from " + servedBy + ": " + p.currentToken().asString() + " where [time, \"value\"] was expected");
        }
        JsonToken t = p.nextToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw bad("malformed sample from " + servedBy + ": the time is not a number");
        }
        return pointAfterTime(p, d, labels, servedBy);
    }

    /** The rest of a pair whose time is the current token; ends on the pair's END_ARRAY. */
    private static Sample pointAfterTime(JsonParser p, Data d, Map<String, String> labels, URI servedBy) throws IOException {
        Instant ts = d.instant(p.getDoubleValue()); // a double, not a BigDecimal per sample
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
