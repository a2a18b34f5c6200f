package io.rwautoscaler.core.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Kubernetes label selector in its string form, accepting exactly what
 * {@code k8s.io/apimachinery/pkg/labels.Parse} accepts:
 * {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a},
 * {@code a>5}, {@code a<5}, joined by commas (AND). The empty selector matches everything.
 *
 * <p>Requirements are kept sorted (key, operator, values) with exact duplicates dropped, so
 * {@link #toString()} is canonical and usable as a cache key. Unlike upstream, {@code ==} is rendered as
 * {@code =}: the two mean the same.
 */
public final class LabelSelector {

    /** Longest selector string accepted; the custom metrics API takes it from a query parameter. */
    public static final int MAX_LENGTH = 4096;

    static final int MAX_NAME_LENGTH = 63;
    static final int MAX_PREFIX_LENGTH = 253;

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private static final Comparator<Requirement> CANONICAL_ORDER = Comparator
            .comparing(Requirement::key)
            .thenComparing(Requirement::operator)
            .thenComparing(r -> String.join(",", r.values()));

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(CANONICAL_ORDER);
        this.requirements = List.copyOf(sorted.stream().distinct().toList());
    }

    /** A selector with no requirements. */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** The selector requiring all of these (a Requirement validates itself when built). */
    public static LabelSelector of(Collection<Requirement> requirements) {
        if (requirements == null || requirements.isEmpty()) {
            return EVERYTHING;
        }
        return new LabelSelector(List.copyOf(requirements));
    }

    /**
     * Parses the string form. {@code null}, empty or all-whitespace input matches everything, as an absent
     * {@code labelSelector} query parameter does.
     *
     * @throws InvalidSelectorException naming what is wrong and at which (0-based) position
     */
    public static LabelSelector parse(String selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        if (selector.length() > MAX_LENGTH) {
            throw new InvalidSelectorException(
                    "label selector is " + selector.length() + " characters, limit " + MAX_LENGTH, -1);
        }
        List<Requirement> parsed = new Parser(selector).parse();
        return parsed.isEmpty() ? EVERYTHING : new LabelSelector(parsed);
    }

    /**
     * The selector requiring each given label to have the given value (what {@code matchLabels} means).
     *
     * @throws InvalidSelectorException if a key or value is not a valid label key or value
     */
    public static LabelSelector fromMatchLabels(Map<String, String> matchLabels) {
        if (matchLabels == null || matchLabels.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> reqs = new ArrayList<>(matchLabels.size());
        matchLabels.forEach((k, v) -> reqs.add(new Requirement(k, Operator.EQUALS, Set.of(v == null ? "" : v))));
        return new LabelSelector(reqs);
    }

    /** Whether all requirements hold for these labels. A {@code null} map is treated as no labels. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> ls = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(ls)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    /** The requirements in canonical order. */
    public List<Requirement> requirements() {
        return requirements;
    }

    /**
     * The {@code matchLabels} half of the metav1.LabelSelector echoing this selector: {@code a=b} and
     * {@code a==b}. When one key has several equalities, the first (by value) is here and the others are
     * {@code In} expressions in {@link #matchExpressions()}, keeping the AND.
     */
    public Map<String, String> matchLabels() {
        Map<String, String> out = new TreeMap<>();
        for (Requirement r : requirements) {
            if (r.operator() == Operator.EQUALS) {
                out.putIfAbsent(r.key(), r.onlyValue());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The {@code matchExpressions} half: everything {@link #matchLabels()} does not hold, as In, NotIn,
     * Exists or DoesNotExist ({@code a!=b} becomes NotIn [b]).
     *
     * <p>metav1.LabelSelector has no Gt/Lt. They are kept here as {@link Operator#GREATER_THAN} and
     * {@link Operator#LESS_THAN} (wire names "Gt"/"Lt", as NodeSelectorRequirement spells them) instead of
     * being dropped, so the echo never claims a wider selection than was served; the HPA controller does
     * not read the echoed selector. {@link #expressibleAsLabelSelector()} tells whether this happened.
     */
    public List<Requirement> matchExpressions() {
        Set<String> equalityKeysTaken = new TreeSet<>();
        List<Requirement> out = new ArrayList<>();
        for (Requirement r : requirements) {
            switch (r.operator()) {
                case EQUALS -> {
                    if (!equalityKeysTaken.add(r.key())) {
                        out.add(new Requirement(r.key(), Operator.IN, r.values()));
                    }
                }
                case NOT_EQUALS -> out.add(new Requirement(r.key(), Operator.NOT_IN, r.values()));
                default -> out.add(r);
            }
        }
        return List.copyOf(out);
    }

    /** False when a Gt/Lt requirement has no metav1.LabelSelector equivalent. */
    public boolean expressibleAsLabelSelector() {
        return requirements.stream().noneMatch(r -> r.operator().numeric());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && requirements.equals(other.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    /** Canonical string form; parses back to an equal selector. Empty for {@link #everything()}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Requirement r : requirements) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r);
        }
        return sb.toString();
    }

    /** How a requirement relates a label's value to its values. */
    public enum Operator {
        EXISTS("", "Exists"),
        DOES_NOT_EXIST("!", "DoesNotExist"),
        EQUALS("=", "In"),
        NOT_EQUALS("!=", "NotIn"),
        IN(" in ", "In"),
        NOT_IN(" notin ", "NotIn"),
        GREATER_THAN(">", "Gt"),
        LESS_THAN("<", "Lt");

        private final String symbol;
        private final String expressionName;

        Operator(String symbol, String expressionName) {
            this.symbol = symbol;
            this.expressionName = expressionName;
        }

        /** How the operator is written in the string form. */
        public String symbol() {
            return symbol;
        }

        /**
         * The operator's name in a label selector requirement's {@code operator} field; single-valued
         * equality is In/NotIn there.
         */
        public String expressionName() {
            return expressionName;
        }

        boolean numeric() {
            return this == GREATER_THAN || this == LESS_THAN;
        }

        int arityMin() {
            return switch (this) {
                case EXISTS, DOES_NOT_EXIST -> 0;
                default -> 1;
            };
        }

        int arityMax() {
            return switch (this) {
                case EXISTS, DOES_NOT_EXIST -> 0;
                case IN, NOT_IN -> Integer.MAX_VALUE;
                default -> 1;
            };
        }
    }

    /**
     * One requirement. {@code values} is sorted and unmodifiable; the empty string is a valid value.
     *
     * @throws InvalidSelectorException if the key or a value is invalid, or the number of values does not
     *                                  suit the operator (none for Exists/DoesNotExist, one for =, !=, &gt;,
     *                                  &lt;, at least one for in/notin), or a &gt;/&lt; value is not an integer
     */
    public record Requirement(String key, Operator operator, Set<String> values) {

        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            TreeSet<String> sorted = new TreeSet<>();
            for (String v : values == null ? Set.<String>of() : values) {
                sorted.add(Objects.requireNonNull(v, "a requirement value"));
            }
            values = Collections.unmodifiableSortedSet(sorted);
            String problem = problemWithKey(key);
            if (problem != null) {
                throw new InvalidSelectorException("invalid label key \"" + key + "\": " + problem, -1);
            }
            int n = values.size();
            if (n < operator.arityMin() || n > operator.arityMax()) {
                throw new InvalidSelectorException("operator " + operator + " on key \"" + key + "\" cannot take "
                        + n + " value" + (n == 1 ? "" : "s"), -1);
            }
            for (String v : values) {
                problem = problemWithValue(v);
                if (problem != null) {
                    throw new InvalidSelectorException(
                            "invalid label value \"" + v + "\" for key \"" + key + "\": " + problem, -1);
                }
                if (operator.numeric() && parseInt64(v) == null) {
                    throw new InvalidSelectorException(
                            "'" + operator.symbol() + "' needs an integer value, not \"" + v + "\"", -1);
                }
            }
        }

        /** Upstream semantics: != and notin also match when the label is absent; &gt;/&lt; need an integer label. */
        public boolean matches(Map<String, String> labels) {
            String actual = labels.get(key);
            boolean present = actual != null || labels.containsKey(key);
            if (actual == null) {
                actual = "";
            }
            return switch (operator) {
                case EXISTS -> present;
                case DOES_NOT_EXIST -> !present;
                case EQUALS, IN -> present && values.contains(actual);
                case NOT_EQUALS, NOT_IN -> !present || !values.contains(actual);
                case GREATER_THAN, LESS_THAN -> {
                    Long have = present ? parseInt64(actual) : null;
                    if (have == null) {
                        yield false;
                    }
                    long want = parseInt64(onlyValue());
                    yield operator == Operator.GREATER_THAN ? have > want : have < want;
                }
            };
        }

        String onlyValue() {
            return values.iterator().next();
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case IN, NOT_IN -> key + operator.symbol() + "(" + String.join(",", values) + ")";
                default -> key + operator.symbol() + onlyValue();
            };
        }
    }

    /** A selector that does not parse or validate. Position is 0-based, or -1 when not about one place. */
    public static final class InvalidSelectorException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int position;

        public InvalidSelectorException(String message, int position) {
            super(message);
            this.position = position;
        }

        public int position() {
            return position;
        }
    }

    // ---- validation, mirroring k8s.io/apimachinery/pkg/util/validation ----

    /** Null if {@code key} is a qualified name: optional DNS-1123 subdomain prefix and '/', then a name. */
    static String problemWithKey(String key) {
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            if (key.indexOf('/', slash + 1) >= 0) {
                return "a qualified name has at most one '/'";
            }
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) {
                return "prefix part must be non-empty";
            }
            String problem = problemWithDnsSubdomain(prefix);
            if (problem != null) {
                return "prefix part " + problem;
            }
        }
        if (name.isEmpty()) {
            return "name part must be non-empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "name part must be no more than " + MAX_NAME_LENGTH + " characters";
        }
        if (!isNameShape(name)) {
            return "name part must consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character";
        }
        return null;
    }

    /** Null if {@code value} is a valid label value (possibly empty). */
    static String problemWithValue(String value) {
        if (value.length() > MAX_NAME_LENGTH) {
            return "must be no more than " + MAX_NAME_LENGTH + " characters";
        }
        if (!value.isEmpty() && !isNameShape(value)) {
            return "must be empty or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character";
        }
        return null;
    }

    private static String problemWithDnsSubdomain(String s) {
        if (s.length() > MAX_PREFIX_LENGTH) {
            return "must be no more than " + MAX_PREFIX_LENGTH + " characters";
        }
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 ? s.length() : dot;
            if (!isDnsLabelShape(s, start, end)) {
                return "must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, '-' or '.', "
                        + "each part starting and ending with an alphanumeric character";
            }
            if (dot < 0) {
                return null;
            }
            start = dot + 1;
        }
    }

    private static boolean isDnsLabelShape(String s, int start, int end) {
        if (end <= start || !isLowerAlnum(s.charAt(start)) || !isLowerAlnum(s.charAt(end - 1))) {
            return false;
        }
        for (int i = start + 1; i < end - 1; i++) {
            char c = s.charAt(i);
            if (!isLowerAlnum(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameShape(String s) {
        if (!isAlnum(s.charAt(0)) || !isAlnum(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /** Go's strconv.ParseInt(s, 10, 64): optional sign, ASCII digits only, no overflow. Null if not. */
    static Long parseInt64(String s) {
        int i = (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) ? 1 : 0;
        if (i == s.length()) {
            return null;
        }
        for (int j = i; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException tooBig) {
            return null;
        }
    }

    // ---- lexer and parser, following the grammar of labels.Parse ----

    private enum Kind {
        IDENTIFIER, IN, NOT_IN, COMMA, OPEN, CLOSE, BANG, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GT, LT, END
    }

    private record Token(Kind kind, String text, int position) {
        /** Upstream reads "in"/"notin" as plain identifiers everywhere except in operator position. */
        boolean isIdentifier() {
            return kind == Kind.IDENTIFIER || kind == Kind.IN || kind == Kind.NOT_IN;
        }

        String describe() {
            return kind == Kind.END ? "end of string" : "'" + text + "'";
        }
    }

    private static final class Parser {
        private final String input;
        private final List<Token> tokens;
        private int next;

        Parser(String input) {
            this.input = input;
            this.tokens = lex(input);
        }

        List<Requirement> parse() {
            List<Requirement> out = new ArrayList<>();
            if (peek().kind() == Kind.END) {
                return out;
            }
            Token first = peek();
            if (!first.isIdentifier() && first.kind() != Kind.BANG) {
                throw error(first, "expected a label key or '!'");
            }
            while (true) {
                out.add(requirement());
                Token t = take();
                if (t.kind() == Kind.END) {
                    return out;
                }
                if (t.kind() != Kind.COMMA) {
                    throw error(t, "expected ',' or end of string");
                }
                Token after = peek();
                if (!after.isIdentifier() && after.kind() != Kind.BANG) {
                    throw error(after, "expected a label key or '!' after ','");
                }
            }
        }

        private Requirement requirement() {
            Token t = take();
            boolean negated = t.kind() == Kind.BANG;
            if (negated) {
                t = take();
            }
            if (!t.isIdentifier()) {
                throw error(t, "expected a label key");
            }
            String key = t.text();
            String problem = problemWithKey(key);
            if (problem != null) {
                throw error(t, "invalid label key \"" + key + "\": " + problem, false);
            }
            if (negated) {
                return new Requirement(key, Operator.DOES_NOT_EXIST, Set.of());
            }
            Kind after = peek().kind();
            if (after == Kind.END || after == Kind.COMMA) {
                return new Requirement(key, Operator.EXISTS, Set.of());
            }
            Token op = take();
            return switch (op.kind()) {
                case IN -> new Requirement(key, Operator.IN, valueSet(key));
                case NOT_IN -> new Requirement(key, Operator.NOT_IN, valueSet(key));
                case EQUALS, DOUBLE_EQUALS -> new Requirement(key, Operator.EQUALS, Set.of(exactValue(key, null)));
                case NOT_EQUALS -> new Requirement(key, Operator.NOT_EQUALS, Set.of(exactValue(key, null)));
                case GT -> new Requirement(key, Operator.GREATER_THAN, Set.of(exactValue(key, Operator.GREATER_THAN)));
                case LT -> new Requirement(key, Operator.LESS_THAN, Set.of(exactValue(key, Operator.LESS_THAN)));
                default -> throw error(op, "expected an operator (=, ==, !=, in, notin, >, <), ',' or end of string");
            };
        }

        private String exactValue(String key, Operator numeric) {
            Token la = peek();
            String value;
            int position = la.position();
            if (la.kind() == Kind.END || la.kind() == Kind.COMMA) {
                value = "";
            } else {
                Token t = take();
                if (!t.isIdentifier()) {
                    throw error(t, "expected a value");
                }
                value = t.text();
            }
            if (numeric != null && parseInt64(value) == null) {
                throw error(position, "'" + numeric.symbol() + "' needs an integer value, found \"" + value + "\"");
            }
            checkValue(key, value, position);
            return value;
        }

        // Mirrors upstream's parseValues/parseIdentifiersList, including its quirk that ",," directly before
        // ')' is rejected ("(x,,)") while "(x,)" and "(x,,,)" are accepted.
        private Set<String> valueSet(String key) {
            Token open = take();
            if (open.kind() != Kind.OPEN) {
                throw error(open, "expected '('");
            }
            Set<String> values = new TreeSet<>();
            Token la = peek();
            if (la.kind() == Kind.CLOSE) {
                take();
                values.add("");
                return values;
            }
            if (!la.isIdentifier() && la.kind() != Kind.COMMA) {
                throw error(la, la.kind() == Kind.END ? "expected ')'" : "expected a value, ',' or ')'");
            }
            while (true) {
                Token t = take();
                if (t.isIdentifier()) {
                    checkValue(key, t.text(), t.position());
                    values.add(t.text());
                    Token after = peek();
                    if (after.kind() == Kind.CLOSE) {
                        break;
                    }
                    if (after.kind() != Kind.COMMA) {
                        throw error(after, after.kind() == Kind.END ? "expected ')'" : "expected ',' or ')'");
                    }
                } else if (t.kind() == Kind.COMMA) {
                    if (values.isEmpty()) {
                        values.add("");
                    }
                    Token after = peek();
                    if (after.kind() == Kind.CLOSE) {
                        values.add("");
                        break;
                    }
                    if (after.kind() == Kind.COMMA) {
                        take();
                        values.add("");
                    }
                } else {
                    throw error(t, t.kind() == Kind.END ? "expected ')'" : "expected a value or ','");
                }
            }
            take(); // the ')' seen above
            return values;
        }

        private void checkValue(String key, String value, int position) {
            String problem = problemWithValue(value);
            if (problem != null) {
                throw error(position, "invalid label value \"" + value + "\" for key \"" + key + "\": " + problem);
            }
        }

        private Token peek() {
            return tokens.get(next);
        }

        private Token take() {
            Token t = tokens.get(next);
            if (t.kind() != Kind.END) {
                next++;
            }
            return t;
        }

        private InvalidSelectorException error(Token t, String expected) {
            return error(t, expected, true);
        }

        private InvalidSelectorException error(Token t, String detail, boolean sayFound) {
            String what = sayFound && t.kind() != Kind.END ? detail + ", found " + t.describe() : detail;
            return error(t.position(), what);
        }

        private InvalidSelectorException error(int position, String detail) {
            return new InvalidSelectorException(
                    "invalid label selector \"" + input + "\": " + detail + " at position " + position, position);
        }
    }

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i == n) {
                out.add(new Token(Kind.END, "", n));
                return out;
            }
            char c = s.charAt(i);
            char d = i + 1 < n ? s.charAt(i + 1) : 0;
            int start = i;
            if (isSpecial(c)) {
                Kind kind;
                if (c == '!' && d == '=') {
                    kind = Kind.NOT_EQUALS;
                } else if (c == '=' && d == '=') {
                    kind = Kind.DOUBLE_EQUALS;
                } else {
                    kind = switch (c) {
                        case '!' -> Kind.BANG;
                        case '=' -> Kind.EQUALS;
                        case '(' -> Kind.OPEN;
                        case ')' -> Kind.CLOSE;
                        case ',' -> Kind.COMMA;
                        case '>' -> Kind.GT;
                        default -> Kind.LT;
                    };
                }
                i += (kind == Kind.NOT_EQUALS || kind == Kind.DOUBLE_EQUALS) ? 2 : 1;
                out.add(new Token(kind, s.substring(start, i), start));
                continue;
            }
            while (i < n && !isSpecial(s.charAt(i)) && !isWhitespace(s.charAt(i))) {
                i++;
            }
            String word = s.substring(start, i);
            Kind kind = switch (word) {
                case "in" -> Kind.IN;
                case "notin" -> Kind.NOT_IN;
                default -> Kind.IDENTIFIER;
            };
            out.add(new Token(kind, word, start));
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

}
