package io.rwautoscaler.docs;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.javadoc.Javadoc;
import io.smallrye.config.ConfigMapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * docs/configuration.md, generated from the source of the {@code @ConfigMapping} interfaces: every key in source
 * order with its {@code @WithDefault}, its type and its Javadoc. Read from source (not reflection) because the
 * Javadoc is the documentation and method order is the reading order.
 */
final class ConfigurationReference {

    /** One configuration key as the documentation shows it. */
    record Key(String name, String defaultValue, String type, String meaning) {
    }

    /** One {@code @ConfigMapping} interface: its prefix, its summary and its keys. */
    record Mapping(String prefix, String className, String summary, List<Key> keys) {
    }

    private final Map<String, ClassOrInterfaceDeclaration> interfaces = new HashMap<>();
    private final Map<String, EnumDeclaration> enums = new HashMap<>();
    private final List<Mapping> mappings = new ArrayList<>();
    /** Keys read through a {@code ${key:default}} expression (e.g. in {@code @Scheduled}) and declared by no mapping. */
    private final Map<String, Key> expressionKeys = new java.util.TreeMap<>();
    private static final java.util.regex.Pattern EXPRESSION =
            java.util.regex.Pattern.compile("\\$\\{(autoscaler\\.[a-z0-9.-]+):([^}]*)}");

    /** Java 17 sources (records, text blocks): JavaParser's default language level stops before records. */
    private static final JavaParser PARSER = new JavaParser(
            new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));

    static ConfigurationReference read(Path sourceRoot) {
        ConfigurationReference ref = new ConfigurationReference();
        List<CompilationUnit> units = new ArrayList<>();
        Map<String, List<String>> expressions = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f);
                if (text.contains("@ConfigMapping")) {
                    units.add(PARSER.parse(text).getResult().orElseThrow(
                            () -> new IllegalStateException("cannot parse " + f)));
                }
                var m = EXPRESSION.matcher(text);
                while (m.find()) {
                    expressions.computeIfAbsent(m.group(1) + "\u0000" + m.group(2), k -> new ArrayList<>())
                            .add(f.getFileName().toString().replace(".java", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (CompilationUnit cu : units) {
            cu.findAll(ClassOrInterfaceDeclaration.class).forEach(d -> ref.interfaces.put(d.getNameAsString(), d));
            cu.findAll(EnumDeclaration.class).forEach(d -> ref.enums.put(d.getNameAsString(), d));
        }
        for (CompilationUnit cu : units) {
            for (ClassOrInterfaceDeclaration d : cu.findAll(ClassOrInterfaceDeclaration.class)) {
                Optional<String> prefix = d.getAnnotationByName("ConfigMapping").flatMap(a -> member(a, "prefix"));
                if (prefix.isPresent()) {
                    List<Key> keys = new ArrayList<>();
                    ref.walk(d, prefix.get(), keys);
                    ref.mappings.add(new Mapping(prefix.get(), d.getFullyQualifiedName().orElse(d.getNameAsString()),
                            summary(d), keys));
                }
            }
        }
        ref.mappings.sort(Comparator.comparing(Mapping::prefix));
        java.util.Set<String> declared = ref.keys().stream().map(Key::name).collect(Collectors.toSet());
        expressions.forEach((keyAndDefault, readers) -> {
            String[] kd = keyAndDefault.split("\u0000", -1);
            if (!declared.contains(kd[0])) {
                Key previous = ref.expressionKeys.get(kd[0]);
                if (previous != null && !previous.defaultValue().equals(kd[1])) {
                    throw new IllegalStateException(kd[0] + " has two defaults in the source: " + previous.defaultValue() + ", " + kd[1]);
                }
                ref.expressionKeys.put(kd[0], new Key(kd[0], kd[1], "duration",
                        "read by " + String.join(", ", readers.stream().distinct().sorted().toList())
                                + " (a scheduling expression, not a mapping)"));
            }
        });
        return ref;
    }

    List<Mapping> mappings() {
        return mappings;
    }

    List<Key> keys() {
        return mappings.stream().flatMap(m -> m.keys().stream()).toList();
    }

    private void walk(ClassOrInterfaceDeclaration type, String prefix, List<Key> out) {
        String previousMeaning = "";
        for (MethodDeclaration m : type.getMethods()) {
            if (m.isDefault() || m.isStatic() || !m.getParameters().isEmpty()) {
                continue;
            }
            String name = prefix + "." + kebab(m.getNameAsString());
            String meaning = m.getJavadoc().map(ConfigurationReference::text).orElse(previousMeaning);
            previousMeaning = meaning;
            Type t = m.getType();
            boolean optional = false;
            if (raw(t).equals("Optional")) {
                t = arg(t, 0);
                optional = true;
            }
            if (raw(t).equals("Map")) {
                Type value = arg(t, 1);
                ClassOrInterfaceDeclaration group = interfaces.get(raw(value));
                if (group != null) {
                    walk(group, name + ".\"<name>\"", out);
                } else {
                    out.add(new Key(name + ".\"<name>\"", "", typeText(value), meaning));
                }
                continue;
            }
            ClassOrInterfaceDeclaration group = interfaces.get(raw(t));
            if (group != null) {
                walk(group, name, out);
                continue;
            }
            String def = m.getAnnotationByName("WithDefault").flatMap(a -> member(a, "value")).orElse(null);
            String shownDefault = def != null ? (def.isEmpty() ? "(empty)" : def) : optional ? "(none)" : "(required)";
            out.add(new Key(name, shownDefault, typeText(t), meaning));
        }
    }

    private String typeText(Type t) {
        String raw = raw(t);
        if (raw.equals("List") || raw.equals("Set")) {
            return "list of " + typeText(arg(t, 0));
        }
        EnumDeclaration e = enums.get(raw);
        if (e != null) {
            return e.getEntries().stream().map(v -> v.getNameAsString().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(" \\| "));
        }
        return switch (raw) {
            case "Duration" -> "duration";
            case "boolean", "Boolean" -> "boolean";
            case "int", "Integer", "long", "Long" -> "integer";
            case "double", "Double", "BigDecimal" -> "number";
            case "Path" -> "file path";
            case "URI", "URL" -> "URL";
            case "String" -> "string";
            default -> raw;
        };
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n");
        md.append("<!-- Generated from the @ConfigMapping interfaces under src/main/java by ConfigurationReferenceTest.\n");
        md.append("     Do not edit by hand: change the Javadoc or @WithDefault there, then run\n");
        md.append("     ./mvnw -B -o test -Dtest=ConfigurationReferenceTest -Drwa.docs.write=true -->\n\n");
        md.append("""
                Every key can be set as a system property (`-Dautoscaler.metrics.refresh=30s`), an environment variable \
                (`AUTOSCALER_METRICS_REFRESH=30s`: upper case, every `.` and `-` as `_`), or in `application.properties`. \
                In a cluster, set them as environment variables: the kustomize install's ConfigMap \
                `remote-write-autoscaler-config` (see [install.md](install.md)), or the Helm chart's `env` value and the \
                values it maps itself (`helm-chart/remote-write-autoscaler/values.yaml`). An invalid value stops start-up \
                with one message naming the key.

                Durations are written `15s`, `2m`, `1h`, `7d`. A `"<name>"` part is a name you choose \
                (`autoscaler.metrics.rules."my_metric".query`). \
                Local mode (`-Dquarkus.profile=local`, the demo and the tests) sets `autoscaler.kubernetes.enabled`, \
                `autoscaler.tls.enabled` and `autoscaler.auth.enabled` to `false` and listens on 127.0.0.1:8080.

                """);
        md.append("| prefix | what |\n| --- | --- |\n");
        for (Mapping m : mappings) {
            md.append("| [`").append(m.prefix()).append("`](#").append(anchor(m.prefix())).append(") | ")
                    .append(cell(m.summary())).append(" |\n");
        }
        for (Mapping m : mappings) {
            md.append("\n## ").append(m.prefix()).append("\n\n");
            md.append(m.summary()).append(" (`").append(m.className()).append("`)\n\n");
            md.append("| key | default | type | meaning |\n| --- | --- | --- | --- |\n");
            for (Key k : m.keys()) {
                md.append("| `").append(k.name()).append("` | ").append(code(k.defaultValue())).append(" | ")
                        .append(k.type()).append(" | ").append(cell(k.meaning())).append(" |\n");
            }
        }
        if (!expressionKeys.isEmpty()) {
            md.append("\n## Scheduling\n\n");
            md.append("Keys read only by the schedule of a loop. Loops start this long after start-up so a configuration the\n"
                    + "service refuses stops it before any loop runs; the first metrics refresh runs at once.\n\n");
            md.append("| key | default | type | meaning |\n| --- | --- | --- | --- |\n");
            for (Key k : expressionKeys.values()) {
                md.append("| `").append(k.name()).append("` | ").append(code(k.defaultValue())).append(" | ")
                        .append(k.type()).append(" | ").append(cell(k.meaning())).append(" |\n");
            }
        }
        return md.toString();
    }

    /** Keys only read through {@code ${key:default}} expressions; each must also agree with any mapping default. */
    Map<String, Key> expressionKeys() {
        return expressionKeys;
    }

    private static String code(String def) {
        return def.startsWith("(") ? def : "`" + def.replace("|", "\\|") + "`";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }

    /** The interface's first Javadoc sentence. */
    private static String summary(ClassOrInterfaceDeclaration d) {
        String all = d.getJavadoc().map(ConfigurationReference::text).orElse("");
        int dot = all.indexOf(". ");
        return dot < 0 ? all : all.substring(0, dot + 1);
    }

    /** Javadoc description as one Markdown line: {@code x} becomes `x`, HTML tags dropped. */
    static String text(Javadoc doc) {
        String s = doc.getDescription().toText();
        s = s.replaceAll("\\{@code ([^}]*)}", "`$1`").replaceAll("\\{@link ([^}]*)}", "`$1`");
        s = s.replaceAll("</?[a-z]+>", "").replaceAll("\\s+", " ").trim();
        return s;
    }

    private static Optional<String> member(AnnotationExpr a, String name) {
        Expression value = null;
        if (a instanceof SingleMemberAnnotationExpr single && name.equals("value")) {
            value = single.getMemberValue();
        } else if (a instanceof NormalAnnotationExpr normal) {
            value = normal.getPairs().stream().filter(p -> p.getNameAsString().equals(name)).findFirst()
                    .map(p -> p.getValue()).orElse(null);
        }
        if (value == null) {
            return Optional.empty();
        }
        if (value.isStringLiteralExpr()) {
            return Optional.of(value.asStringLiteralExpr().asString());
        }
        if (value.isTextBlockLiteralExpr()) {
            return Optional.of(value.asTextBlockLiteralExpr().asString());
        }
        throw new IllegalStateException("not a string literal in " + a + ": the reference cannot show it");
    }

    private static String raw(Type t) {
        if (t.isPrimitiveType()) {
            return t.asString();
        }
        if (t instanceof ClassOrInterfaceType c) {
            return c.getNameAsString();
        }
        return t.asString();
    }

    private static Type arg(Type t, int i) {
        return ((ClassOrInterfaceType) t).getTypeArguments().orElseThrow().get(i);
    }

    /** As SmallRye names a mapping method (its default naming strategy), digits included. */
    static String kebab(String camel) {
        return ConfigMapping.NamingStrategy.KEBAB_CASE.apply(camel);
    }
}
