package io.rwautoscaler.shards;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.RemoteWriteEntry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads {@code spec.remoteWrite[]} of a Prometheus/PrometheusAgent resource into an {@link Agent}. Anything not
 * understood is said in {@link Agent#problems()} and the entry skipped; unknown fields are ignored here and left
 * untouched by the patch.
 */
public final class RemoteWriteSpecs {

    /** The queueConfig fields the tuner owns, by their name in the CRD. */
    public static final List<String> TUNED_FIELDS = List.of("minShards", "maxShards", "capacity", "maxSamplesPerSend");

    private RemoteWriteSpecs() {
    }

    public static Agent read(String kind, GenericKubernetesResource resource) {
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        String uid = resource.getMetadata().getUid();
        List<String> problems = new ArrayList<>();
        List<RemoteWriteEntry> entries = new ArrayList<>();
        Object spec = resource.getAdditionalProperties().get("spec");
        Object remoteWrite = spec instanceof Map<?, ?> m ? m.get("remoteWrite") : null;
        if (remoteWrite == null) {
            problems.add("spec.remoteWrite is missing: nothing to tune");
        } else if (!(remoteWrite instanceof List<?> list)) {
            problems.add("spec.remoteWrite is not a list: nothing to tune");
        } else {
            if (list.isEmpty()) {
                problems.add("spec.remoteWrite is empty: nothing to tune");
            }
            for (int i = 0; i < list.size(); i++) {
                entry(i, list.get(i), problems).ifPresent(entries::add);
            }
        }
        return new Agent(kind, namespace, name, uid, entries, problems);
    }

    private static Optional<RemoteWriteEntry> entry(int index, Object raw, List<String> problems) {
        String at = "spec.remoteWrite[" + index + "]";
        if (!(raw instanceof Map<?, ?> item)) {
            problems.add(at + " is not an object: skipped");
            return Optional.empty();
        }
        if (!(item.get("url") instanceof String url) || url.isBlank()) {
            problems.add(at + " has no url: skipped");
            return Optional.empty();
        }
        Object rawName = item.get("name");
        if (rawName != null && !(rawName instanceof String)) {
            problems.add(at + ".name is not a string: skipped");
            return Optional.empty();
        }
        Object qc = item.get("queueConfig");
        if (qc == null) {
            return Optional.of(new RemoteWriteEntry(index, Optional.ofNullable((String) rawName), url,
                    QueueConfig.unset()));
        }
        if (!(qc instanceof Map<?, ?> queueConfig)) {
            problems.add(at + ".queueConfig is not an object: skipped");
            return Optional.empty();
        }
        OptionalInt[] fields = new OptionalInt[TUNED_FIELDS.size()];
        for (int f = 0; f < fields.length; f++) {
            String field = TUNED_FIELDS.get(f);
            Object value = queueConfig.get(field);
            if (value == null) {
                fields[f] = OptionalInt.empty();
                continue;
            }
            OptionalInt parsed = positiveInt(value);
            if (parsed.isEmpty()) {
                problems.add(at + ".queueConfig." + field + " is " + value + ", not a positive integer: skipped");
                return Optional.empty();
            }
            fields[f] = parsed;
        }
        return Optional.of(new RemoteWriteEntry(index, Optional.ofNullable((String) rawName), url,
                new QueueConfig(fields[0], fields[1], fields[2], fields[3])));
    }

    /** A JSON integer that fits an int and is at least 1; the CRD types these fields as integers. */
    static OptionalInt positiveInt(Object value) {
        BigDecimal d;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            d = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger b) {
            d = new BigDecimal(b);
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            d = new BigDecimal(value.toString());
        } else {
            return OptionalInt.empty();
        }
        try {
            int i = d.intValueExact();
            return i >= 1 ? OptionalInt.of(i) : OptionalInt.empty();
        } catch (ArithmeticException notAnInt) {
            return OptionalInt.empty();
        }
    }
}
