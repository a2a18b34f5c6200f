package io.rwautoscaler.core.metrics;

import io.rwautoscaler.core.metrics.LabelSelector.InvalidSelectorException;
import io.rwautoscaler.core.metrics.LabelSelector.Operator;
import io.rwautoscaler.core.metrics.LabelSelector.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LabelSelectorTest {

    static final String NAME_SHAPE = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";
    static final String VALUE_SHAPE = "must be empty or consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";
    static final String PREFIX_SHAPE = "must be a lowercase RFC 1123 subdomain: lowercase alphanumeric characters, "
            + "'-' or '.', each part starting and ending with an alphanumeric character";
    static final String OPERATORS = "expected an operator (=, ==, !=, in, notin, >, <), ',' or end of string";

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                               | ""
            "   "                            | ""
            x=a                              | x=a
            x==a                             | x=a
            x!=a                             | x!=a
            x=                               | x=
            "x= "                            | x=
            "x=,z= "                         | x=,z=
            "x= ,z= "                        | x=,z=
            x!=                              | x!=
            x=a,y=b,z=c                      | x=a,y=b,z=c
            z=c,y=b,x=a                      | x=a,y=b,z=c
            x!=a,y=b                         | x!=a,y=b
            " x = a , y != b "               | x=a,y!=b
            x in (a)                         | x in (a)
            x in(a)                          | x in (a)
            "x in ( a , b )"                 | x in (a,b)
            x in (b,a)                       | x in (a,b)
            x in (a,a)                       | x in (a)
            x notin (a,b)                    | x notin (a,b)
            x notin(a)                       | x notin (a)
            x in ()                          | x in ()
            x in (a,)                        | x in (,a)
            x in (,a)                        | x in (,a)
            x in (,)                         | x in ()
            x in (a,,b)                      | x in (,a,b)
            x in (a,,,)                      | x in (,a)
            x in (,,,)                       | x in ()
            x in (a,,,b)                     | x in (,a,b)
            "x in (foo,,baz),y,z notin ()"   | "x in (,baz,foo),y,z notin ()"
            x                                | x
            !x                               | !x
            "! x"                            | !x
            x,y                              | x,y
            !x,x                             | x,!x
            x>1                              | x>1
            x<5                              | x<5
            x>1,z<5                          | x>1,z<5
            x<5,x>1                          | x>1,x<5
            x>007                            | x>007
            "x > 1"                          | x>1
            x=a,x=a                          | x=a
            x=b,x=a                          | x=a,x=b
            x=a,x in (a)                     | x=a,x in (a)
            x notin (a),!y,z>3               | x notin (a),!y,z>3
            in                               | in
            notin                            | notin
            in=notin                         | in=notin
            notin in (in,notin)              | notin in (in,notin)
            x=in                             | x=in
            example.com/app=web              | example.com/app=web
            app.kubernetes.io/name=prometheus | app.kubernetes.io/name=prometheus
            x=A-b_c.9                        | x=A-b_c.9
            A_b.C-1=0                        | A_b.C-1=0
            """)
    void parsesToCanonicalForm(String input, String canonical) {
        LabelSelector parsed = LabelSelector.parse(input);

        assertThat(parsed).hasToString(canonical);
        LabelSelector reparsed = LabelSelector.parse(parsed.toString());
        assertThat(reparsed).isEqualTo(parsed).hasSameHashCodeAs(parsed).hasToString(canonical);
        assertThat(parsed.isEverything()).isEqualTo(canonical.isEmpty());
    }

    @Test
    void toleratesTabsAndNewlinesBetweenTokens() {
        assertThat(LabelSelector.parse("x\t=\ta\n,\ny\r\n==\tb , z\tin\n(\rc\t)")).hasToString("x=a,y=b,z in (c)");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t", "\n\r "})
    void emptyMatchesEverything(String input) {
        LabelSelector s = LabelSelector.parse(input);

        assertThat(s.isEverything()).isTrue();
        assertThat(s).isEqualTo(LabelSelector.everything());
        assertThat(s.requirements()).isEmpty();
        assertThat(s.matches(Map.of())).isTrue();
        assertThat(s.matches(Map.of("a", "b"))).isTrue();
        assertThat(s.matches(null)).isTrue();
        assertThat(s).hasToString("");
    }

    static Stream<Arguments> invalidSelectors() {
        return Stream.of(
                // structure
                arguments("a in (x", 7, "expected ')'"),
                arguments("a in (x,", 8, "expected ')'"),
                arguments("a in (", 6, "expected ')'"),
                arguments("a in (x y)", 8, "expected ',' or ')', found 'y'"),
                arguments("a in (x=y)", 7, "expected ',' or ')', found '='"),
                arguments("a in x", 5, "expected '(', found 'x'"),
                arguments("a in", 4, "expected '('"),
                arguments("a notin", 7, "expected '('"),
                arguments("a in (x))", 8, "expected ',' or end of string, found ')'"),
                arguments("a in (=)", 6, "expected a value, ',' or ')', found '='"),
                // upstream's parser rejects ",," right before ')'
                arguments("a in (x,,)", 9, "expected a value or ',', found ')'"),
                arguments("a in (,,)", 8, "expected a value or ',', found ')'"),
                arguments("a in (x,=)", 8, "expected a value or ',', found '='"),
                arguments("x==a==b", 4, "expected ',' or end of string, found '=='"),
                arguments("!x=a", 2, "expected ',' or end of string, found '='"),
                arguments("!x in (a)", 3, "expected ',' or end of string, found 'in'"),
                arguments("a=b c", 4, "expected ',' or end of string, found 'c'"),
                arguments("a=b=c", 3, "expected ',' or end of string, found '='"),
                arguments("a,b c", 4, OPERATORS + ", found 'c'"),
                arguments(",a", 0, "expected a label key or '!', found ','"),
                arguments("=a", 0, "expected a label key or '!', found '='"),
                arguments(")", 0, "expected a label key or '!', found ')'"),
                arguments("a,", 2, "expected a label key or '!' after ','"),
                arguments("a, ", 3, "expected a label key or '!' after ','"),
                arguments("a,,b", 2, "expected a label key or '!' after ',', found ','"),
                arguments("!", 1, "expected a label key"),
                arguments("!!a", 1, "expected a label key, found '!'"),
                arguments("!=a", 0, "expected a label key or '!', found '!='"),
                arguments("a b", 2, OPERATORS + ", found 'b'"),
                arguments("a!", 1, OPERATORS + ", found '!'"),
                arguments("a(b)", 1, OPERATORS + ", found '('"),
                arguments("a=(b)", 2, "expected a value, found '('"),
                arguments("a!==b", 3, "expected a value, found '='"),
                arguments("x>=1", 2, "expected a value, found '='"),
                arguments("x<=1", 2, "expected a value, found '='"),
                // Gt / Lt need an int64 that is also a label value
                arguments("x<a", 2, "'<' needs an integer value, found \"a\""),
                arguments("x>1.1", 2, "'>' needs an integer value, found \"1.1\""),
                arguments("x>", 2, "'>' needs an integer value, found \"\""),
                arguments("x>,y", 2, "'>' needs an integer value, found \"\""),
                arguments("x>99999999999999999999", 2, "'>' needs an integer value, found \"99999999999999999999\""),
                arguments("x>-1", 2, "invalid label value \"-1\" for key \"x\": " + VALUE_SHAPE),
                arguments("x>+1", 2, "invalid label value \"+1\" for key \"x\": " + VALUE_SHAPE),
                // keys
                arguments("a/b/c=d", 0, "invalid label key \"a/b/c\": a qualified name has at most one '/'"),
                arguments("/a=b", 0, "invalid label key \"/a\": prefix part must be non-empty"),
                arguments("a/=b", 0, "invalid label key \"a/\": name part must be non-empty"),
                arguments("Example.com/a", 0, "invalid label key \"Example.com/a\": prefix part " + PREFIX_SHAPE),
                arguments("a_b/c", 0, "invalid label key \"a_b/c\": prefix part " + PREFIX_SHAPE),
                arguments("a..b/c", 0, "invalid label key \"a..b/c\": prefix part " + PREFIX_SHAPE),
                arguments("-a.io/c", 0, "invalid label key \"-a.io/c\": prefix part " + PREFIX_SHAPE),
                arguments("a-.io/c", 0, "invalid label key \"a-.io/c\": prefix part " + PREFIX_SHAPE),
                arguments("-a", 0, "invalid label key \"-a\": name part " + NAME_SHAPE),
                arguments("a-", 0, "invalid label key \"a-\": name part " + NAME_SHAPE),
                arguments("x, !.a", 4, "invalid label key \".a\": name part " + NAME_SHAPE),
                arguments("a:b=c", 0, "invalid label key \"a:b\": name part " + NAME_SHAPE),
                arguments("a||y=b", 0, "invalid label key \"a||y\": name part " + NAME_SHAPE),
                arguments("ü=x", 0, "invalid label key \"ü\": name part " + NAME_SHAPE),
                arguments("a\fb", 0, "invalid label key \"a\fb\": name part " + NAME_SHAPE),
                // values
                arguments("x=a||y=b", 2, "invalid label value \"a||y\" for key \"x\": " + VALUE_SHAPE),
                arguments("x = a , y = -b", 12, "invalid label value \"-b\" for key \"y\": " + VALUE_SHAPE),
                arguments("a in (x,-y)", 8, "invalid label value \"-y\" for key \"a\": " + VALUE_SHAPE),
                arguments("a=b/c", 2, "invalid label value \"b/c\" for key \"a\": " + VALUE_SHAPE),
                arguments("a=x_", 2, "invalid label value \"x_\" for key \"a\": " + VALUE_SHAPE),
                arguments("a!=ü", 3, "invalid label value \"ü\" for key \"a\": " + VALUE_SHAPE));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("invalidSelectors")
    void rejectsInvalidSelectorsSayingWhatAndWhere(String input, int position, String detail) {
        assertThatThrownBy(() -> LabelSelector.parse(input))
                .isInstanceOf(InvalidSelectorException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid label selector \"%s\": %s at position %d", input, detail, position)
                .extracting(e -> ((InvalidSelectorException) e).position())
                .isEqualTo(position);
    }

    static Stream<Arguments> keysAndValuesAtTheirLimits() {
        String name63 = "a" + "b".repeat(61) + "c";
        String label63 = "a".repeat(63);
        String prefix253 = String.join(".", label63, label63, label63, "a".repeat(61));
        return Stream.of(
                arguments(name63 + "=x", true),
                arguments(name63 + "d=x", false),
                arguments("x=" + name63, true),
                arguments("x=" + name63 + "d", false),
                arguments("x in (a," + name63 + "d)", false),
                arguments(prefix253 + "/" + name63, true),
                arguments(prefix253 + "a/x", false),
                arguments(prefix253 + "/" + name63 + "d", false),
                // subdomain labels are not limited to 63 characters, only the whole prefix
                arguments("a".repeat(100) + ".io/x", true),
                arguments("a/x", true),
                arguments("0/x", true),
                arguments("a-b.c-d/x", true),
                arguments("a", true),
                arguments("A", true),
                arguments("9", true),
                arguments("a.b_c-d", true),
                arguments("x=0", true),
                arguments("x=_", false),
                arguments("x=.", false));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("keysAndValuesAtTheirLimits")
    void validatesKeysAndValuesLikeKubernetes(String input, boolean valid) {
        if (valid) {
            assertThat(LabelSelector.parse(input).requirements()).hasSize(1);
        } else {
            assertThatThrownBy(() -> LabelSelector.parse(input)).isInstanceOf(InvalidSelectorException.class);
        }
    }

    @Test
    void acceptsUpToMaxLength() {
        String longest = " ".repeat(LabelSelector.MAX_LENGTH - 1) + "a";

        assertThat(LabelSelector.parse(longest)).hasToString("a");
    }

    @ParameterizedTest
    @ValueSource(ints = {LabelSelector.MAX_LENGTH + 1, 10 * LabelSelector.MAX_LENGTH})
    void rejectsLongerThanMaxLength(int length) {
        String tooLong = " ".repeat(length - 1) + "a";

        assertThatThrownBy(() -> LabelSelector.parse(tooLong))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessage("label selector is " + length + " characters, limit 4096");
    }

    @ParameterizedTest(name = "[{index}] {0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                | ""                   | true
            ""                | a=1                  | true
            a=1               | a=1                  | true
            a=1               | a=1;b=2              | true
            a=1               | a=2                  | false
            a=1               | ""                   | false
            a=1               | b=1                  | false
            a==1              | a=1                  | true
            a=                | a=                   | true
            a=                | ""                   | false
            a!=1              | a=1                  | false
            a!=1              | a=2                  | true
            a!=1              | ""                   | true
            a!=               | a=                   | false
            a!=               | a=x                  | true
            a!=               | ""                   | true
            a in (1,2)        | a=2                  | true
            a in (1,2)        | a=3                  | false
            a in (1,2)        | b=1                  | false
            a in ()           | a=                   | true
            a in ()           | ""                   | false
            a in (,x)         | a=                   | true
            a notin (1,2)     | a=3                  | true
            a notin (1,2)     | a=1                  | false
            a notin (1,2)     | ""                   | true
            a notin ()        | a=                   | false
            a                 | a=                   | true
            a                 | a=x                  | true
            a                 | b=1                  | false
            !a                | b=1                  | true
            !a                | ""                   | true
            !a                | a=                   | false
            a>5               | a=6                  | true
            a>5               | a=5                  | false
            a>5               | a=4                  | false
            a>5               | a=006                | true
            a>5               | a=x                  | false
            a>5               | a=                   | false
            a>5               | ""                   | false
            a>5               | a=99999999999999999999 | false
            a>5               | a=６                 | false
            a>5               | a=+6                 | true
            a<5               | a=4                  | true
            a<5               | a=5                  | false
            a<5               | a=-10                | true
            a<0               | a=-9223372036854775808 | true
            a>9223372036854775806 | a=9223372036854775807 | true
            a=1,b=2           | a=1;b=2;c=3          | true
            a=1,b=2           | a=1                  | false
            a=1,a=2           | a=1                  | false
            a in (1,2),a!=1   | a=2                  | true
            a in (1,2),a!=1   | a=1                  | false
            x in (a),!y,z>3   | x=a;z=4              | true
            x in (a),!y,z>3   | x=a;y=;z=4           | false
            x in (a),!y,z>3   | x=a;z=3              | false
            example.com/app=web | example.com/app=web | true
            example.com/app=web | app=web            | false
            """)
    void matchesLikeKubernetes(String selector, String labels, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(labels(labels))).isEqualTo(expected);
    }

    @Test
    void treatsNullLabelsAsNoLabelsAndNullValueAsEmpty() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("a", null);

        assertThat(LabelSelector.parse("!a").matches(null)).isTrue();
        assertThat(LabelSelector.parse("a").matches(null)).isFalse();
        assertThat(LabelSelector.parse("a").matches(nullValue)).isTrue();
        assertThat(LabelSelector.parse("a=").matches(nullValue)).isTrue();
        assertThat(LabelSelector.parse("a in (x)").matches(nullValue)).isFalse();
    }

    static Stream<Arguments> requirementsOf() {
        return Stream.of(
                arguments("x in (b,a),!y,z>3", List.of(
                        new Requirement("x", Operator.IN, Set.of("a", "b")),
                        new Requirement("y", Operator.DOES_NOT_EXIST, Set.of()),
                        new Requirement("z", Operator.GREATER_THAN, Set.of("3")))),
                arguments("b==1,a=2", List.of(
                        new Requirement("a", Operator.EQUALS, Set.of("2")),
                        new Requirement("b", Operator.EQUALS, Set.of("1")))),
                arguments("a!=,a notin (x),a<3,a", List.of(
                        new Requirement("a", Operator.EXISTS, Set.of()),
                        new Requirement("a", Operator.NOT_EQUALS, Set.of("")),
                        new Requirement("a", Operator.NOT_IN, Set.of("x")),
                        new Requirement("a", Operator.LESS_THAN, Set.of("3")))),
                arguments("a in (,x,,y)", List.of(new Requirement("a", Operator.IN, Set.of("", "x", "y")))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("requirementsOf")
    void exposesRequirementsInCanonicalOrder(String selector, List<Requirement> expected) {
        LabelSelector parsed = LabelSelector.parse(selector);

        assertThat(parsed.requirements()).containsExactlyElementsOf(expected);
        assertThat(LabelSelector.of(expected)).isEqualTo(parsed);
        assertThat(List.copyOf(parsed.requirements().get(0).values())).isSorted();
    }

    static Stream<Arguments> labelSelectorViews() {
        return Stream.of(
                arguments("", Map.of(), List.of(), true),
                arguments("a=b", Map.of("a", "b"), List.of(), true),
                arguments("a==b,c=", Map.of("a", "b", "c", ""), List.of(), true),
                arguments("a=b,c!=d", Map.of("a", "b"), List.of("c NotIn [d]"), true),
                arguments("a=y,a=x", Map.of("a", "x"), List.of("a In [y]"), true),
                arguments("a in (x,y),b notin (z)", Map.of(), List.of("a In [x, y]", "b NotIn [z]"), true),
                arguments("a,!b", Map.of(), List.of("a Exists []", "b DoesNotExist []"), true),
                arguments("a>5,b<3,c=d", Map.of("c", "d"), List.of("a Gt [5]", "b Lt [3]"), false),
                arguments("x in (a),!y,z=1,w!=2", Map.of("z", "1"),
                        List.of("w NotIn [2]", "x In [a]", "y DoesNotExist []"), true));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("labelSelectorViews")
    void splitsIntoMatchLabelsAndMatchExpressions(String selector, Map<String, String> matchLabels,
                                                 List<String> matchExpressions, boolean expressible) {
        LabelSelector parsed = LabelSelector.parse(selector);

        assertThat(parsed.matchLabels()).containsExactlyInAnyOrderEntriesOf(matchLabels);
        assertThat(parsed.matchExpressions()).extracting(LabelSelectorTest::describe)
                .containsExactlyElementsOf(matchExpressions);
        assertThat(parsed.expressibleAsLabelSelector()).isEqualTo(expressible);

        // the two halves together select exactly what the selector does
        List<Requirement> rebuilt = new ArrayList<>(LabelSelector.fromMatchLabels(parsed.matchLabels()).requirements());
        rebuilt.addAll(parsed.matchExpressions());
        LabelSelector echo = LabelSelector.of(rebuilt);
        for (Map<String, String> labels : SAMPLE_LABELS) {
            assertThat(echo.matches(labels)).as("%s on %s", selector, labels).isEqualTo(parsed.matches(labels));
        }
    }

    static final List<Map<String, String>> SAMPLE_LABELS = List.of(
            Map.of(), Map.of("a", "b"), Map.of("a", "x"), Map.of("a", "y"), Map.of("a", "6", "b", "2", "c", "d"),
            Map.of("a", "b", "c", ""), Map.of("a", "b", "c", "d"), Map.of("a", "x", "b", "z"),
            Map.of("x", "a", "z", "1"), Map.of("x", "a", "z", "1", "w", "2"), Map.of("x", "a", "y", "", "z", "1"));

    static String describe(Requirement r) {
        return r.key() + " " + r.operator().expressionName() + " " + r.values();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                           | ""
            app=web                      | app=web
            tier=db;app=web              | app=web,tier=db
            a=                           | a=
            example.com/app=web;b=1      | b=1,example.com/app=web
            """)
    void buildsFromMatchLabels(String labels, String canonical) {
        Map<String, String> matchLabels = labels(labels);
        LabelSelector s = LabelSelector.fromMatchLabels(matchLabels);

        assertThat(s).hasToString(canonical);
        assertThat(s).isEqualTo(LabelSelector.parse(canonical));
        assertThat(s.matchLabels()).isEqualTo(matchLabels);
        assertThat(s.matches(matchLabels)).isTrue();
    }

    @Test
    void fromMatchLabelsOfNullIsEverything() {
        assertThat(LabelSelector.fromMatchLabels(null).isEverything()).isTrue();
        assertThat(LabelSelector.of(null).isEverything()).isTrue();
    }

    static Stream<Arguments> invalidMatchLabels() {
        return Stream.of(
                arguments("-a", "x", "invalid label key \"-a\": name part " + NAME_SHAPE),
                arguments("", "x", "invalid label key \"\": name part must be non-empty"),
                arguments("a", "b c", "invalid label value \"b c\" for key \"a\": " + VALUE_SHAPE),
                arguments("a", "x".repeat(64), "invalid label value \"" + "x".repeat(64)
                        + "\" for key \"a\": must be no more than 63 characters"),
                arguments("a/b/c", "x", "invalid label key \"a/b/c\": a qualified name has at most one '/'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalidMatchLabels")
    void fromMatchLabelsValidates(String key, String value, String message) {
        assertThatThrownBy(() -> LabelSelector.fromMatchLabels(Map.of(key, value)))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessage(message)
                .extracting(e -> ((InvalidSelectorException) e).position()).isEqualTo(-1);
    }

    static Stream<Arguments> invalidRequirements() {
        return Stream.of(
                arguments("a", Operator.EXISTS, Set.of("x"), "operator EXISTS on key \"a\" cannot take 1 value"),
                arguments("a", Operator.DOES_NOT_EXIST, Set.of("x", "y"),
                        "operator DOES_NOT_EXIST on key \"a\" cannot take 2 values"),
                arguments("a", Operator.IN, Set.of(), "operator IN on key \"a\" cannot take 0 values"),
                arguments("a", Operator.NOT_IN, null, "operator NOT_IN on key \"a\" cannot take 0 values"),
                arguments("a", Operator.EQUALS, Set.of(), "operator EQUALS on key \"a\" cannot take 0 values"),
                arguments("a", Operator.NOT_EQUALS, Set.of("x", "y"),
                        "operator NOT_EQUALS on key \"a\" cannot take 2 values"),
                arguments("a", Operator.GREATER_THAN, Set.of("1", "2"),
                        "operator GREATER_THAN on key \"a\" cannot take 2 values"),
                arguments("a", Operator.LESS_THAN, Set.of("x"), "'<' needs an integer value, not \"x\""),
                arguments("", Operator.EXISTS, Set.of(), "invalid label key \"\": name part must be non-empty"),
                arguments("a", Operator.IN, Set.of("-x"), "invalid label value \"-x\" for key \"a\": " + VALUE_SHAPE));
    }

    @ParameterizedTest(name = "[{index}] {3}")
    @MethodSource("invalidRequirements")
    void requirementValidatesItself(String key, Operator op, Set<String> values, String message) {
        assertThatThrownBy(() -> new Requirement(key, op, values))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessage(message);
    }

    @Test
    void requirementRejectsNulls() {
        Set<String> withNull = new java.util.HashSet<>();
        withNull.add(null);

        assertThatThrownBy(() -> new Requirement(null, Operator.EXISTS, Set.of()))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Requirement("a", null, Set.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Requirement("a", Operator.IN, withNull)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void requirementValuesAreSortedAndUnmodifiable() {
        Set<String> input = new java.util.HashSet<>(Set.of("c", "a", "b"));
        Requirement r = new Requirement("k", Operator.IN, input);
        input.add("d");

        assertThat(r.values()).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> r.values().add("e")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r).hasToString("k in (a,b,c)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            EXISTS         |         | Exists
            DOES_NOT_EXIST | !       | DoesNotExist
            EQUALS         | =       | In
            NOT_EQUALS     | !=      | NotIn
            IN             | ' in '  | In
            NOT_IN         | ' notin ' | NotIn
            GREATER_THAN   | >       | Gt
            LESS_THAN      | <       | Lt
            """)
    void operatorsKnowTheirSpellings(Operator op, String symbol, String expressionName) {
        assertThat(op.symbol()).isEqualTo(symbol == null ? "" : symbol);
        assertThat(op.expressionName()).isEqualTo(expressionName);
    }

    private static Map<String, String> labels(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec == null || spec.isEmpty()) {
            return out;
        }
        for (String pair : spec.split(";")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }
}
