package io.rwautoscaler.docs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md is what {@link ConfigurationReference} generates from the configuration interfaces' source,
 * and that generation agrees with SmallRye's own reading of the compiled interfaces (every key, every default), so
 * the reference can neither go stale nor miss a key. {@code -Drwa.docs.write=true} rewrites the file.
 */
class ConfigurationReferenceTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path DOC = ROOT.resolve("docs/configuration.md");
    static final String REGENERATE = "./mvnw -B -o test -Dtest=ConfigurationReferenceTest -Drwa.docs.write=true";

    @Test
    void theReferenceIsUpToDate() throws IOException {
        String generated = ConfigurationReference.read(ROOT.resolve("src/main/java")).markdown();
        if (Boolean.getBoolean("rwa.docs.write")) {
            Files.writeString(DOC, generated);
        }
        assertThat(DOC).as("docs/configuration.md is missing; write it with: " + REGENERATE).exists();
        assertThat(Files.readString(DOC))
                .as("docs/configuration.md is out of date with the @ConfigMapping interfaces; regenerate it with: " + REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void everyKeyAndDefaultIsTheOneSmallRyeReads() throws Exception {
        ConfigurationReference ref = ConfigurationReference.read(ROOT.resolve("src/main/java"));
        Map<String, String> documented = new TreeMap<>();
        for (ConfigurationReference.Key k : ref.keys()) {
            documented.put(k.name().replace("\"<name>\"", "*"), k.defaultValue());
        }
        Map<String, String> smallRye = new TreeMap<>();
        for (ConfigurationReference.Mapping m : ref.mappings()) {
            Class<?> type = Class.forName(m.className());
            assertThat(type.getAnnotation(ConfigMapping.class).prefix()).isEqualTo(m.prefix());
            ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type, m.prefix())).forEach((name, p) -> {
                if (!name.endsWith("[*]") && (p.isLeaf() || p.isPrimitive() || p.isOptional() || p.isCollection() || p.isMap())) {
                    smallRye.put(name, defaultShown(name, p));
                }
            });
        }
        smallRye.keySet().removeIf(k -> !documented.containsKey(k) && documented.keySet().stream().anyMatch(d -> d.startsWith(k + ".")));
        assertThat(documented).as("keys and defaults in docs/configuration.md vs SmallRye's reading of the interfaces")
                .isEqualTo(smallRye);
        assertThat(documented).containsEntry("autoscaler.metrics.refresh", "15s")
                .containsEntry("autoscaler.shards.receiver-max5xx-per-second", "0.1")
                .containsEntry("autoscaler.metrics.rules.*.aggregation", "sum");
    }

    private static String defaultShown(String name, ConfigMappingInterface.Property p) {
        if (p.hasDefaultValue()) {
            return p.getDefaultValue().isEmpty() ? "(empty)" : p.getDefaultValue();
        }
        if (p.isMap() || name.endsWith(".*")) {
            return "";   // a map of plain values: each entry is a key of the user's choosing
        }
        return p.isOptional() || p.getMethod().getReturnType() == java.util.Optional.class ? "(none)" : "(required)";
    }

    /** A schedule written {@code ${autoscaler.x:default}} must use the same default as the mapping that declares the key. */
    @Test
    void scheduleExpressionsUseTheMappingsDefaults() throws IOException {
        ConfigurationReference ref = ConfigurationReference.read(ROOT.resolve("src/main/java"));
        Map<String, String> declared = new TreeMap<>();
        ref.keys().forEach(k -> declared.put(k.name(), k.defaultValue()));
        java.util.regex.Pattern expression = java.util.regex.Pattern.compile("\\$\\{(autoscaler\\.[a-z0-9.-]+):([^}]*)}");
        java.util.List<String> disagreements = new java.util.ArrayList<>();
        try (var files = Files.walk(ROOT.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                var m = expression.matcher(Files.readString(f));
                while (m.find()) {
                    String mapped = declared.get(m.group(1));
                    if (mapped != null && !mapped.equals(m.group(2))) {
                        disagreements.add(f.getFileName() + ": ${" + m.group(1) + ":" + m.group(2) + "} but the mapping's default is " + mapped);
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }
}
