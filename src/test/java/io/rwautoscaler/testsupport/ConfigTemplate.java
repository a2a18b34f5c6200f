package io.rwautoscaler.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus config templates in {@code deploy/local/prometheus/}, shared with
 * {@code deploy/local/demo.sh} so the tests run exactly what the demo shows.
 */
public final class ConfigTemplate {

    static final Path DIR = Path.of("deploy", "local", "prometheus");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

    private ConfigTemplate() {
    }

    /** Replaces every {@code ${NAME}}; a placeholder without a value is an error, as in demo.sh. */
    public static String render(String templateName, Map<String, ?> values) {
        Path template = directory().resolve(templateName);
        String text;
        try {
            text = Files.readString(template);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            Object value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException(template + ": no value for " + matcher.group());
            }
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value.toString()));
        }
        return matcher.appendTail(rendered).toString();
    }

    // Maven runs tests from the project root; IDEs sometimes from elsewhere inside it.
    private static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DIR))) {
                return dir.resolve(DIR);
            }
        }
        throw new IllegalStateException(DIR + " not found above " + Path.of("").toAbsolutePath());
    }
}
