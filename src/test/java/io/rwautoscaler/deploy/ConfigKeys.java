package io.rwautoscaler.deploy;

import io.smallrye.config.ConfigMapping;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys the service knows, read off its {@code @ConfigMapping} interfaces, as environment variable
 * patterns: so that a manifest setting {@code AUTOSCALER_SOME_TYPO} fails a test instead of being ignored at run time.
 */
final class ConfigKeys {

    private final List<Pattern> envPatterns = new ArrayList<>();

    private ConfigKeys() {
    }

    static ConfigKeys ofTheService() {
        ConfigKeys keys = new ConfigKeys();
        Path root = Manifests.ROOT.resolve("src/main/java/io/rwautoscaler/config");
        try (Stream<Path> files = Files.list(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                Class<?> c = Class.forName("io.rwautoscaler.config." + name);
                ConfigMapping mapping = c.getAnnotation(ConfigMapping.class);
                if (mapping != null) {
                    keys.walk(c, env(mapping.prefix()));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the configuration interfaces", e);
        }
        return keys;
    }

    boolean knows(String envName) {
        return envPatterns.stream().anyMatch(p -> p.matcher(envName).matches());
    }

    private void walk(Class<?> type, String envPrefix) {
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String env = envPrefix + "_" + env(kebab(m.getName()));
            Type t = m.getGenericReturnType();
            if (t instanceof ParameterizedType p && p.getRawType() == Optional.class) {
                t = p.getActualTypeArguments()[0];
            }
            if (t instanceof ParameterizedType p && p.getRawType() == java.util.Map.class) {
                Type value = p.getActualTypeArguments()[1];
                if (value instanceof Class<?> vc && isGroup(vc)) {
                    walk(vc, env + "_[A-Z0-9_]+?");
                } else {
                    envPatterns.add(Pattern.compile(Pattern.quote(env).replace("\\E", "\\E") + "_[A-Z0-9_]+"));
                }
                continue;
            }
            if (t instanceof Class<?> c && isGroup(c)) {
                walk(c, env);
                continue;
            }
            envPatterns.add(Pattern.compile(env));
        }
    }

    private static boolean isGroup(Class<?> c) {
        return c.isInterface() && c.getName().startsWith("io.rwautoscaler.config.");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** {@code autoscaler.leader-election} → {@code AUTOSCALER_LEADER_ELECTION}, as SmallRye maps environment names. */
    private static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
