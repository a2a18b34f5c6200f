package io.rwautoscaler.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.rwautoscaler.core.model.Quantity;
import io.rwautoscaler.core.model.PromDuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a scenario file (YAML). Unknown keys, wrong types and out-of-range values are errors that name the file and
 * the key ({@code runbook.yaml: receivers.startupSeconds: must be a number of seconds >= 0, got "soon"}); nothing
 * is guessed. Every default is documented on {@link Scenario} and in docs/surge-lab.md.
 */
public final class ScenarioReader {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final String source;
    private final Path baseDir;

    private ScenarioReader(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    public static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.getFileName().toString(), dir);
    }

    public static Scenario parse(String yaml, String source, Path baseDir) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ScenarioException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ScenarioException(source + ": a scenario is a YAML mapping with at least name, duration and load");
        }
        return new ScenarioReader(source, baseDir).scenario((ObjectNode) root);
    }

    private Scenario scenario(ObjectNode root) {
        allowed(root, "", "name", "duration", "seed", "agents", "receivers", "observation", "load", "loadCsv", "hpa",
                "strategies", "manual");
        String name = string(root, "", "name", null);
        if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw error("name", "must be lower-case letters, digits and dashes (it names the result files), got \""
                    + name + "\"");
        }
        Duration duration = duration(root, "", "duration", null);
        if (duration.toSeconds() < 120) {
            // shorter runs than the goal's windows (5 min absorbed, 30 min after) only leave them empty; 2 minutes is
            // the shortest that still shows a queue react (the calibration runs 7 minutes)
            throw error("duration", "must be at least 2m, got " + PromDuration.format(duration));
        }
        long seed = root.has("seed") ? integer(root, "", "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE) : 1;

        Scenario.Agents agents = agents(object(root, "", "agents"));
        Scenario.Receivers receivers = receivers(object(root, "", "receivers"));
        Scenario.Observation observation = observation(object(root, "", "observation"));
        LoadCurve load = load(root);
        HorizontalPodAutoscalerSpec hpa = hpa(root.get("hpa"));
        List<Strategy> strategies = strategies(root.get("strategies"));
        ObjectNode manualNode = object(root, "", "manual");
        allowed(manualNode, "manual.", "reaction");
        Scenario.Manual manual = new Scenario.Manual(duration(manualNode, "manual.", "reaction", Duration.ofMinutes(30)));
        return new Scenario(name, duration, seed, agents, receivers, observation, load, hpa, strategies, manual);
    }

    private Scenario.Agents agents(ObjectNode node) {
        allowed(node, "agents.", "count", "queueConfig", "walRetention", "reshardDuringBackoff");
        int count = (int) integer(node, "agents.", "count", 3, 1, 1000);
        ObjectNode q = object(node, "agents.", "queueConfig");
        String p = "agents.queueConfig.";
        allowed(q, p, "minShards", "maxShards", "capacity", "maxSamplesPerSend", "batchSendDeadline", "minBackoff",
                "maxBackoff", "flushDeadline");
        int minShards = (int) integer(q, p, "minShards", 1, 1, 10_000);
        int maxShards = (int) integer(q, p, "maxShards", 50, 1, 10_000);
        if (maxShards < minShards) {
            throw error(p + "maxShards", "must be at least minShards (" + minShards + "), got " + maxShards);
        }
        int msps = (int) integer(q, p, "maxSamplesPerSend", 2000, 1, 1_000_000);
        int capacity = (int) integer(q, p, "capacity", 10_000, 1, 100_000_000);
        Duration deadline = duration(q, p, "batchSendDeadline", Duration.ofSeconds(5));
        Duration minBackoff = duration(q, p, "minBackoff", Duration.ofMillis(30));
        Duration maxBackoff = duration(q, p, "maxBackoff", Duration.ofSeconds(5));
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw error(p + "maxBackoff", "must be at least minBackoff");
        }
        Duration flush = duration(q, p, "flushDeadline", Duration.ofMinutes(1));
        Duration wal = duration(node, "agents.", "walRetention", Duration.ofHours(2));
        if (wal.isZero()) {
            throw error("agents.walRetention", "must be positive");
        }
        boolean oldReshard = bool(node, "agents.", "reshardDuringBackoff", false);
        return new Scenario.Agents(count, new Scenario.QueueSettings(minShards, maxShards, capacity, msps, deadline,
                minBackoff, maxBackoff, flush), wal, oldReshard);
    }

    private Scenario.Receivers receivers(ObjectNode node) {
        String p = "receivers.";
        allowed(node, p, "replicas", "samplesPerSecondPerReplica", "startupSeconds", "hashringPropagationSeconds",
                "cpuRequest", "memoryRequest", "cpuIdle", "cpuAtCapacity", "memoryIdle", "memoryAtCapacity",
                "sendLatencySeconds", "sendLatencyModel", "hashringFlushSeconds", "hashringAlgorithm", "rollOnChange",
                "podManagementPolicy");
        int replicas = (int) integer(node, p, "replicas", 3, 1, 1000);
        double perReplica = number(node, p, "samplesPerSecondPerReplica", 3500, 1);
        Duration startup = seconds(node, p, "startupSeconds", 60);
        Duration propagation = seconds(node, p, "hashringPropagationSeconds", 60);
        double cpuRequest = cpu(node, p, "cpuRequest", "1000m");
        long memRequest = memory(node, p, "memoryRequest", "2Gi");
        double cpuIdle = cpu(node, p, "cpuIdle", "50m");
        double cpuAtCapacity = cpu(node, p, "cpuAtCapacity", "840m");
        long memIdle = memory(node, p, "memoryIdle", "600Mi");
        long memAtCapacity = memory(node, p, "memoryAtCapacity", "1400Mi");
        double latency = number(node, p, "sendLatencySeconds", 0.1, 0.001);
        String latencyModel = node.has("sendLatencyModel") ? string(node, p, "sendLatencyModel", "mm1") : "mm1";
        if (!latencyModel.equals("mm1") && !latencyModel.equals("constant")) {
            throw error(p + "sendLatencyModel", "must be mm1 or constant, got \"" + latencyModel + "\"");
        }
        Duration flush = seconds(node, p, "hashringFlushSeconds", 15);
        String algorithm = node.has("hashringAlgorithm") ? string(node, p, "hashringAlgorithm", "hashmod") : "hashmod";
        if (!algorithm.equals("hashmod") && !algorithm.equals("ketama")) {
            throw error(p + "hashringAlgorithm", "must be hashmod or ketama, got \"" + algorithm + "\"");
        }
        boolean roll = bool(node, p, "rollOnChange", false);
        String podManagement = node.has("podManagementPolicy") ? string(node, p, "podManagementPolicy", null)
                : "OrderedReady";
        if (!podManagement.equals("OrderedReady") && !podManagement.equals("Parallel")) {
            throw error(p + "podManagementPolicy", "must be OrderedReady or Parallel, got \"" + podManagement + "\"");
        }
        return new Scenario.Receivers(replicas, perReplica, startup, propagation, cpuRequest, memRequest, cpuIdle,
                cpuAtCapacity, memIdle, memAtCapacity, Duration.ofMillis(Math.round(latency * 1000)), flush,
                algorithm, roll, podManagement.equals("Parallel"), latencyModel.equals("mm1"));
    }

    private Scenario.Observation observation(ObjectNode node) {
        String p = "observation.";
        allowed(node, p, "scrapeInterval", "refresh", "hpaSync", "resourceResolution", "shardTunerEvery",
                "policyEvery", "hashringEvery");
        return new Scenario.Observation(
                positive(node, p, "scrapeInterval", Duration.ofSeconds(30)),
                positive(node, p, "refresh", Duration.ofSeconds(15)),
                positive(node, p, "hpaSync", Duration.ofSeconds(15)),
                positive(node, p, "resourceResolution", Duration.ofSeconds(15)),
                positive(node, p, "shardTunerEvery", Duration.ofMinutes(1)),
                positive(node, p, "policyEvery", Duration.ofSeconds(30)),
                positive(node, p, "hashringEvery", Duration.ofSeconds(15)));
    }

    private LoadCurve load(ObjectNode root) {
        boolean points = root.has("load");
        boolean csv = root.has("loadCsv");
        if (points == csv) {
            throw error("load", "give exactly one of load (a list of {at, samplesPerSecond}) and loadCsv (a file)");
        }
        if (csv) {
            return loadCsv(string(root, "", "loadCsv", null));
        }
        JsonNode list = root.get("load");
        if (!list.isArray() || list.isEmpty()) {
            throw error("load", "must be a non-empty list of {at, samplesPerSecond}");
        }
        List<LoadCurve.Point> out = new ArrayList<>();
        double last = -1;
        for (int i = 0; i < list.size(); i++) {
            String p = "load[" + i + "].";
            if (!list.get(i).isObject()) {
                throw error("load[" + i + "]", "must be a mapping {at, samplesPerSecond}");
            }
            ObjectNode item = (ObjectNode) list.get(i);
            allowed(item, p, "at", "samplesPerSecond");
            double at = duration(item, p, "at", null).toMillis() / 1000.0;
            if (at < last) {
                throw error(p + "at", "points must be in time order, " + at + "s comes after " + last + "s");
            }
            last = at;
            out.add(new LoadCurve.Point(at, number(item, p, "samplesPerSecond", Double.NaN, 0)));
        }
        return new LoadCurve(out);
    }

    private LoadCurve loadCsv(String file) {
        Path path = baseDir == null ? Path.of(file) : baseDir.resolve(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw error("loadCsv", "cannot read " + path + ": " + e.getMessage());
        }
        List<LoadCurve.Point> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || (lineNo == 1 && !Character.isDigit(l.charAt(0)))) {
                continue; // blank, comment, header
            }
            String[] cells = l.split(",");
            if (cells.length != 2) {
                throw error("loadCsv", file + " line " + lineNo + ": expected seconds,samplesPerSecond, got \"" + l + "\"");
            }
            try {
                double at = Double.parseDouble(cells[0].strip());
                double rate = Double.parseDouble(cells[1].strip());
                if (!(rate >= 0) || !(at >= 0)) {
                    throw new NumberFormatException("negative");
                }
                if (!out.isEmpty() && at < out.get(out.size() - 1).atSeconds()) {
                    throw error("loadCsv", file + " line " + lineNo + ": times must not go back");
                }
                out.add(new LoadCurve.Point(at, rate));
            } catch (NumberFormatException e) {
                throw error("loadCsv", file + " line " + lineNo + ": not two non-negative numbers: \"" + l + "\"");
            }
        }
        if (out.isEmpty()) {
            throw error("loadCsv", file + " has no data rows");
        }
        return new LoadCurve(out);
    }

    /** The whole manifest ({@code kind: HorizontalPodAutoscaler}) or just its spec, into fabric8's model. */
    private HorizontalPodAutoscalerSpec hpa(JsonNode node) {
        if (node == null || node.isNull()) {
            throw error("hpa", "is required: the receivers' autoscaling/v2 HorizontalPodAutoscaler (manifest or spec)");
        }
        if (!node.isObject()) {
            throw error("hpa", "must be a mapping (an autoscaling/v2 HorizontalPodAutoscaler or its spec)");
        }
        HorizontalPodAutoscalerSpec spec;
        try {
            if (node.has("kind") || node.has("apiVersion") || node.has("spec")) {
                String apiVersion = node.path("apiVersion").asText("");
                if (!apiVersion.equals("autoscaling/v2")) {
                    throw error("hpa.apiVersion", "must be autoscaling/v2, got \"" + apiVersion + "\"");
                }
                String kind = node.path("kind").asText("");
                if (!kind.equals("HorizontalPodAutoscaler")) {
                    throw error("hpa.kind", "must be HorizontalPodAutoscaler, got \"" + kind + "\"");
                }
                HorizontalPodAutoscaler manifest = YAML.treeToValue(node, HorizontalPodAutoscaler.class);
                HpaSpecs.unknownKey(manifest, "").ifPresent(k -> {
                    throw error("hpa." + k, "unknown key in an autoscaling/v2 HorizontalPodAutoscaler");
                });
                spec = manifest.getSpec();
            } else {
                spec = YAML.treeToValue(node, HorizontalPodAutoscalerSpec.class);
                HpaSpecs.unknownKey(spec, "").ifPresent(k -> {
                    throw error("hpa." + k, "unknown key in an autoscaling/v2 HorizontalPodAutoscaler spec");
                });
            }
        } catch (JsonProcessingException e) {
            throw error("hpa", "not an autoscaling/v2 HorizontalPodAutoscaler: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw error("hpa", "not an autoscaling/v2 HorizontalPodAutoscaler: " + e.getMessage());
        }
        if (spec == null) {
            throw error("hpa.spec", "is required");
        }
        HpaSpecs.validate(spec).ifPresent(problem -> {
            throw error("hpa." + problem.key(), problem.message());
        });
        try {
            // the product's converter: kube-apiserver's validation, as the HPA strategies will run it
            io.rwautoscaler.hpa.HpaSpecs.fromSpec(spec);
        } catch (io.rwautoscaler.hpa.InvalidHpaSpecException e) {
            throw error("hpa", "rejected as kube-apiserver would: " + String.join("; ", e.problems().stream()
                    .map(x -> x.startsWith("spec.") ? "hpa." + x.substring(5) : x).toList()));
        }
        return spec;
    }

    private List<Strategy> strategies(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of(Strategy.values());
        }
        if (!node.isArray() || node.isEmpty()) {
            throw error("strategies", "must be a non-empty list of: " + Strategy.labels());
        }
        Set<Strategy> out = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String label = node.get(i).asText();
            Strategy s = Strategy.byLabel(label).orElseThrow(() -> error("strategies",
                    "unknown strategy \"" + label + "\"; known: " + Strategy.labels()));
            if (!out.add(s)) {
                throw error("strategies", "\"" + label + "\" is listed twice");
            }
        }
        return out.stream().sorted().toList();
    }

    // ---- typed access, each error naming the key

    private ScenarioException error(String key, String message) {
        return new ScenarioException(source + ": " + key + ": " + message);
    }

    private void allowed(ObjectNode node, String prefix, String... keys) {
        Set<String> known = Set.of(keys);
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            String k = it.next().getKey();
            if (!known.contains(k)) {
                throw error(prefix + k, "unknown key; known here: " + String.join(", ", keys));
            }
        }
    }

    private ObjectNode object(ObjectNode node, String prefix, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return YAML.createObjectNode();
        }
        if (!v.isObject()) {
            throw error(prefix + key, "must be a mapping");
        }
        return (ObjectNode) v;
    }

    private String string(ObjectNode node, String prefix, String key, String dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw error(prefix + key, "is required");
            }
            return dflt;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(prefix + key, "must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private long integer(ObjectNode node, String prefix, String key, long dflt, long min, long max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            throw error(prefix + key, "must be a whole number, got " + v);
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw error(prefix + key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private double number(ObjectNode node, String prefix, String key, double dflt, double min) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (Double.isNaN(dflt)) {
                throw error(prefix + key, "is required");
            }
            return dflt;
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw error(prefix + key, "must be a number, got " + v);
        }
        if (v.asDouble() < min) {
            throw error(prefix + key, "must be at least " + min + ", got " + v.asDouble());
        }
        return v.asDouble();
    }

    private boolean bool(ObjectNode node, String prefix, String key, boolean dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw error(prefix + key, "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private Duration seconds(ObjectNode node, String prefix, String key, long dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Duration.ofSeconds(dflt);
        }
        if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
            throw error(prefix + key, "must be a number of seconds >= 0, got " + v);
        }
        return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }

    /** Prometheus-style durations ({@code 90s}, {@code 10m}, {@code 1h30m}); a bare number is seconds. */
    private Duration duration(ObjectNode node, String prefix, String key, Duration dflt) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw error(prefix + key, "is required");
            }
            return dflt;
        }
        if (v.isNumber() && v.asDouble() >= 0) {
            return Duration.ofMillis(Math.round(v.asDouble() * 1000));
        }
        if (v.isTextual()) {
            return PromDuration.parse(v.asText().strip()).orElseThrow(() -> error(prefix + key,
                    "must be a duration like 30s, 10m or 1h30m, got \"" + v.asText() + "\""));
        }
        throw error(prefix + key, "must be a duration like 30s, 10m or 1h30m, got " + v);
    }

    private Duration positive(ObjectNode node, String prefix, String key, Duration dflt) {
        Duration d = duration(node, prefix, key, dflt);
        if (d.isZero() || d.isNegative()) {
            throw error(prefix + key, "must be positive");
        }
        return d;
    }

    private double cpu(ObjectNode node, String prefix, String key, String dflt) {
        String text = node.has(key) ? node.get(key).asText() : dflt;
        try {
            double c = Quantity.cpuCores(text);
            if (!(c > 0)) {
                throw new IllegalArgumentException("not positive");
            }
            return c;
        } catch (RuntimeException e) {
            throw error(prefix + key, "must be a CPU quantity like 500m or 2, got \"" + text + "\"");
        }
    }

    private long memory(ObjectNode node, String prefix, String key, String dflt) {
        String text = node.has(key) ? node.get(key).asText() : dflt;
        try {
            long b = Quantity.bytes(text);
            if (b <= 0) {
                throw new IllegalArgumentException("not positive");
            }
            return b;
        } catch (RuntimeException e) {
            throw error(prefix + key, "must be a memory quantity like 2Gi or 512Mi, got \"" + text + "\"");
        }
    }
}
