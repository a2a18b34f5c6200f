package io.rwautoscaler.core.receivers;

import io.rwautoscaler.core.model.PodInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of the Thanos Receive {@code hashrings.json}: the receive StatefulSet's ready pods, ordered by
 * ordinal (pod-10 after pod-9), in every configured hashring.
 */
public record Hashring(List<HashringEntry> entries) {

    private static final List<String> ENTRY_FIELDS = List.of("hashring", "endpoints", "tenants");

    public Hashring {
        entries = List.copyOf(entries);
    }

    /**
     * The hashrings the pods should form. Only pods of this StatefulSet count (name {@code STATEFULSET-N} in its
     * namespace; a {@code thanos-receive-router-0} is another workload) and only ready ones: an unready receiver
     * in the hashring fails every write forwarded to it.
     */
    public static Hashring desired(HashringLayout layout, Collection<PodInfo> pods) {
        Pattern member = Pattern.compile(Pattern.quote(layout.statefulSet()) + "-(0|[1-9][0-9]{0,8})");
        Map<Integer, String> readyByOrdinal = new TreeMap<>();
        for (PodInfo pod : pods) {
            if (pod == null || !pod.ready() || !layout.namespace().equals(pod.namespace()) || pod.name() == null) {
                continue;
            }
            Matcher m = member.matcher(pod.name());
            if (m.matches()) {
                readyByOrdinal.put(Integer.parseInt(m.group(1)), pod.name());
            }
        }
        List<String> endpoints = readyByOrdinal.values().stream().map(layout::endpoint).toList();
        List<HashringEntry> entries = new ArrayList<>();
        for (TenantHashring ring : layout.hashrings()) {
            entries.add(new HashringEntry(ring.name(), endpoints, ring.tenants()));
        }
        return new Hashring(entries);
    }

    /** False when some hashring has no endpoint: writing that would drop its tenants' writes, so keep the old file. */
    public boolean servesEveryHashring() {
        return !entries.isEmpty() && entries.stream().noneMatch(e -> e.endpoints().isEmpty());
    }

    public int endpointCount() {
        return entries.stream().flatMap(e -> e.endpoints().stream()).distinct().toList().size();
    }

    /**
     * Exactly what Thanos reads: {@code [{"hashring":"default","endpoints":["..."]}]}, plus {@code "tenants"} when a
     * hashring has any. Compact and deterministic, so equal content is equal bytes. Written by hand because
     * core does not depend on Jackson.
     */
    public String toJson() {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < entries.size(); i++) {
            HashringEntry entry = entries.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"hashring\":");
            appendString(out, entry.hashring());
            out.append(",\"endpoints\":");
            appendArray(out, entry.endpoints());
            if (!entry.tenants().isEmpty()) {
                out.append(",\"tenants\":");
                appendArray(out, entry.tenants());
            }
            out.append('}');
        }
        return out.append(']').toString();
    }

    /**
     * Whether Thanos would route the same with either content; the sync writes only when this is false.
     * Hashring order and names count (Thanos uses the first hashring whose tenants match); the order of
     * endpoints and tenants does not (Thanos sorts endpoints before hashing, tenants are a set), so an
     * order-only difference causes no write and no rolling restart. Anything this class would not write
     * (extra fields such as {@code algorithm}, endpoint objects, wrong types) counts as a difference, so a
     * hand-edited file is put back.
     *
     * @param existing the current {@code hashrings.json} parsed generically (a list of maps), or null if
     *                 it is missing or not JSON
     */
    public static boolean sameMembership(List<?> existing, Hashring desired) {
        return parse(existing).map(current -> current.sameMembership(desired)).orElse(false);
    }

    public boolean sameMembership(Hashring other) {
        if (entries.size() != other.entries.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            HashringEntry a = entries.get(i);
            HashringEntry b = other.entries.get(i);
            if (!a.hashring().equals(b.hashring())
                    || !sorted(a.endpoints()).equals(sorted(b.endpoints()))
                    || !new HashSet<>(a.tenants()).equals(new HashSet<>(b.tenants()))) {
                return false;
            }
        }
        return true;
    }

    /** Reads a generically parsed {@code hashrings.json}; empty when it is not something this class would write. */
    public static Optional<Hashring> parse(List<?> parsed) {
        if (parsed == null) {
            return Optional.empty();
        }
        List<HashringEntry> entries = new ArrayList<>();
        for (Object element : parsed) {
            if (!(element instanceof Map<?, ?> map) || !map.keySet().stream().allMatch(ENTRY_FIELDS::contains)
                    || !(map.get("hashring") instanceof String name)) {
                return Optional.empty();
            }
            Optional<List<String>> endpoints = strings(map.get("endpoints"));
            Optional<List<String>> tenants = map.containsKey("tenants") ? strings(map.get("tenants")) : Optional.of(List.of());
            if (endpoints.isEmpty() || tenants.isEmpty()) {
                return Optional.empty();
            }
            entries.add(new HashringEntry(name, endpoints.get(), tenants.get()));
        }
        return Optional.of(new Hashring(entries));
    }

    private static Optional<List<String>> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                return Optional.empty();
            }
            out.add(s);
        }
        return Optional.of(out);
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static void appendArray(StringBuilder out, List<String> values) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendString(out, values.get(i));
        }
        out.append(']');
    }

    /** RFC 8259 string escaping: quote, backslash and control characters; everything else is UTF-8 as is. */
    static void appendString(StringBuilder out, String value) {
        Objects.requireNonNull(value, "value");
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
