package io.rwautoscaler.config;

import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The {@code AUTOSCALER_*} environment variables the service knows, read off its {@code @ConfigMapping} interfaces
 * the way SmallRye maps environment names ({@code autoscaler.shards.mode} → {@code AUTOSCALER_SHARDS_MODE}: upper
 * case, every other character {@code _}). SmallRye rejects an unknown {@code -D} or properties key under a mapped
 * prefix, but cannot tell an unknown environment variable from somebody else's, so it ignores it: a misspelled
 * {@code AUTOSCALER_SHARDS_MOED=apply} would start in recommend mode without a word. This is the check for them.
 *
 * <p>Only the {@code AUTOSCALER_} prefix is ours. Kubernetes' service links for a Service whose name starts with
 * {@code autoscaler} ({@code AUTOSCALER_..._SERVICE_HOST}, {@code ..._PORT_443_TCP_ADDR}, …) are left alone.
 */
public final class EnvironmentKeys {

    public static final String PREFIX = "AUTOSCALER_";

    /** Every configuration interface of the service; EnvironmentKeysTest checks that none is missing. */
    public static final List<Class<?>> MAPPINGS = List.of(AuthConfig.class, ClusterConfig.class, DelegateConfig.class,
            HttpConfig.class, KedaConfig.class, KubernetesConfig.class, LeaderElectionConfig.class, MetricsConfig.class,
            PrometheusConfig.class, ReceiverPolicyConfig.class, ReceiversConfig.class, ReplayConfig.class,
            RightSizingConfig.class, SchedulerConfig.class, ShardsConfig.class, TlsConfig.class);

    /** What Kubernetes injects for Services (docker-link style); never one of our keys. */
    private static final Pattern SERVICE_LINK = Pattern.compile(
            ".*_SERVICE_HOST|.*_SERVICE_PORT(_[A-Z0-9_]+)?|.*_PORT|.*_PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?");

    /**
     * One key: its name as documented ({@code *} for a map key of the user's choosing), the environment names it
     * accepts, and the environment name shown as a suggestion.
     */
    public record Key(String name, Pattern env, String envName) {
    }

    private final List<Key> keys;

    private EnvironmentKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    public static EnvironmentKeys ofTheService() {
        List<Key> keys = new ArrayList<>();
        forEachProperty((name, p) -> {
            if (p.isLeaf() || p.isPrimitive() || p.isOptional() || p.isCollection() || p.isMap()) {
                keys.add(key(name));
            }
        });
        keys.sort(Comparator.comparing(Key::name));
        return new EnvironmentKeys(keys);
    }

    /**
     * The keys whose value is a duration (plain or optional), map keys of the user's choosing left out: no duration
     * of the service means anything negative, so {@link StrictEnvironment} refuses one under any of these names.
     */
    public static List<String> durationKeys() {
        List<String> names = new ArrayList<>();
        forEachProperty((name, p) -> {
            var leaf = p.isOptional() ? p.asOptional().getNestedProperty() : p;
            if (!name.contains("*") && leaf.isLeaf() && leaf.asLeaf().getValueRawType() == java.time.Duration.class) {
                names.add(name);
            }
        });
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** Every property of every mapping, by its full key name ({@code *} for a map key, {@code [*]} for an element). */
    private static void forEachProperty(BiConsumer<String, ConfigMappingInterface.Property> each) {
        for (Class<?> mapping : MAPPINGS) {
            String prefix = mapping.getAnnotation(io.smallrye.config.ConfigMapping.class).prefix();
            ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, prefix)).forEach(each);
        }
    }

    public List<Key> keys() {
        return keys;
    }

    public boolean knows(String envName) {
        return keys.stream().anyMatch(k -> k.env().matcher(envName).matches());
    }

    /**
     * One line per {@code AUTOSCALER_*} variable no key maps to, naming the nearest known key; empty when all are
     * known.
     */
    public List<String> unknown(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        environment.keySet().stream().filter(n -> n.startsWith(PREFIX)).sorted().forEach(n -> {
            if (!knows(n) && !SERVICE_LINK.matcher(n).matches()) {
                Key nearest = nearest(n);
                problems.add(n + ": no autoscaler.* key maps to this environment variable; did you mean "
                        + nearest.envName() + " (" + nearest.name() + ")?");
            }
        });
        return problems;
    }

    private Key nearest(String envName) {
        return keys.stream().min(Comparator.comparingInt((Key k) -> distance(envName, k.envName()))
                .thenComparing(Key::name)).orElseThrow();
    }

    private static Key key(String name) {
        StringBuilder regex = new StringBuilder();
        StringBuilder shown = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            if (name.startsWith("[*]", i)) {          // a list element: url[0] → URL_0_
                regex.append("_[0-9]+_");
                shown.append("_0_");
                i += 3;
            } else if (name.charAt(i) == '*') {       // a map key of the user's choosing
                regex.append("[A-Z0-9_]+");
                shown.append("NAME");
                i++;
            } else {
                char c = Character.toUpperCase(name.charAt(i));
                char e = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
                regex.append(e);
                shown.append(e);
                i++;
            }
        }
        return new Key(name, Pattern.compile(regex.toString()), shown.toString());
    }

    /** Levenshtein distance: {@code MOED} is one transposition (two edits) from {@code MODE}. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
