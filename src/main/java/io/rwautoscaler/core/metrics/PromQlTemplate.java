package io.rwautoscaler.core.metrics;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL template with {@code <<.Name>>} placeholders (the prometheus-adapter convention, which cannot
 * clash with PromQL's braces nor with configuration's {@code ${}} expressions).
 */
public final class PromQlTemplate {

    /** Extra label matchers, without braces, possibly empty; a template writes {@code metric{<<.Matchers>>}}. */
    public static final String MATCHERS = "Matchers";
    /** The rule's window as a PromQL duration, e.g. {@code 5m}. */
    public static final String WINDOW = "Window";
    public static final Set<String> KNOWN = Set.of(MATCHERS, WINDOW);

    private static final Pattern PLACEHOLDER = Pattern.compile("<<\\s*\\.?([A-Za-z_][A-Za-z0-9_]*)\\s*>>");

    private final String text;

    private PromQlTemplate(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the unknown placeholders, or when the template is blank */
    public static PromQlTemplate parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty PromQL template");
        }
        Set<String> unknown = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!KNOWN.contains(m.group(1))) {
                unknown.add("<<." + m.group(1) + ">>");
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown placeholder " + String.join(", ", unknown)
                    + " (known: <<.Matchers>>, <<.Window>>)");
        }
        String rest = PLACEHOLDER.matcher(text).replaceAll("");
        if (rest.contains("<<") || rest.contains(">>")) {
            throw new IllegalArgumentException("malformed placeholder: write <<.Matchers>> or <<.Window>>");
        }
        return new PromQlTemplate(text);
    }

    public String render(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
