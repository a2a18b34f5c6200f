package io.rwautoscaler.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Rendered Kubernetes objects (kustomize or Helm output, or a plain file), parsed with Jackson YAML and read as
 * fabric8 model classes where fabric8 has them.
 */
final class Manifests {

    static final Path ROOT = Path.of("").toAbsolutePath();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true).build();

    final String source;
    final List<JsonNode> objects;

    private Manifests(String source, List<JsonNode> objects) {
        this.source = source;
        this.objects = objects;
    }

    static Manifests parse(String source, String yaml) {
        try {
            List<JsonNode> out = new ArrayList<>();
            var parser = new YAMLFactory().createParser(yaml);
            for (var it = new YAMLMapper().readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isEmpty()) {
                    out.add(n);
                }
            }
            return new Manifests(source, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + source, e);
        }
    }

    static Manifests file(Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kubectl kustomize DIR}, offline. */
    static Manifests kustomize(String dir) {
        return parse("kubectl kustomize " + dir, run(List.of("kubectl", "kustomize", ROOT.resolve(dir).toString())));
    }

    /** The chart requires an image repository (none is published); the tests render with this one. */
    static final String TEST_IMAGE_REPOSITORY = "registry.example.com/remote-write-autoscaler";

    /**
     * An overlay of {@code resources} plus {@code components}, written under target/ the way a user writes theirs, then
     * rendered with {@code kubectl kustomize}.
     */
    static Manifests kustomizeWithComponents(String resources, String... components) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(ROOT.resolve("target")), "overlay");
            StringBuilder k = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ")
                    .append(dir.relativize(ROOT.resolve(resources))).append("\ncomponents:\n");
            for (String c : components) {
                k.append("  - ").append(dir.relativize(ROOT.resolve(c))).append('\n');
            }
            Files.writeString(dir.resolve("kustomization.yaml"), k.toString());
            return parse("kubectl kustomize " + resources + " + " + String.join(" + ", components),
                    run(List.of("kubectl", "kustomize", dir.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An overlay as a user writes it at the repository's root ({@code resources: [../deploy/...]}), with the files it
     * names, written under target/ (its {@code ../deploy/} paths pointed at this checkout), then rendered.
     */
    static Manifests kustomizeOverlay(String kustomization, Map<String, String> files) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(ROOT.resolve("target")), "overlay");
            Files.writeString(dir.resolve("kustomization.yaml"),
                    kustomization.replace("../deploy/", dir.relativize(ROOT.resolve("deploy")) + "/"));
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
            return parse("kubectl kustomize " + dir, run(List.of("kubectl", "kustomize", dir.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifests helmTemplate(Path helm, String... args) {
        List<String> cmd = new ArrayList<>(List.of(helm.toString(), "template", "remote-write-autoscaler",
                ROOT.resolve("helm-chart/remote-write-autoscaler").toString(), "--namespace", "monitoring",
                "--set", "image.repository=" + TEST_IMAGE_REPOSITORY));
        cmd.addAll(List.of(args));
        return parse(String.join(" ", cmd.subList(1, cmd.size())), run(cmd));
    }

    static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String run(List<String> cmd) {
        try {
            Path err = Files.createTempFile("render", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            // Helm keeps caches and config under HOME unless told otherwise: keep them in target/.
            Path helmHome = ROOT.resolve("target/tools/helm-home");
            pb.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
            pb.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
            pb.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed:\n" + Files.readString(err));
            }
            Files.deleteIfExists(err);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode one(String kind) {
        List<JsonNode> all = ofKind(kind);
        if (all.size() != 1) {
            throw new AssertionError(source + ": expected one " + kind + ", found " + all.size());
        }
        return all.get(0);
    }

    /**
     * The object as a fabric8 model class; a field the model does not know (a typo, a wrong nesting) fails here,
     * since every fabric8 model keeps such fields in its additionalProperties.
     */
    static <T> T as(JsonNode node, Class<T> type) {
        T value = JSON.convertValue(node, type);
        List<String> unknown = new ArrayList<>();
        unknownFields(value, type.getSimpleName(), unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError(type.getSimpleName() + " " + node.path("metadata").path("name").asText()
                    + " has fields its schema does not know: " + unknown);
        }
        return value;
    }

    private static void unknownFields(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || seen.put(o, true) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(k -> out.add(path + "." + k));
                    }
                } else if (!Set.of("getClass").contains(m.getName())) {
                    unknownFields(v, path + "." + Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4), out, seen);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
