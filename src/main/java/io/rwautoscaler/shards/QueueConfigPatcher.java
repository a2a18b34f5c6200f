package io.rwautoscaler.shards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.rwautoscaler.config.ShardsConfig;
import io.rwautoscaler.core.shards.Agent;
import io.rwautoscaler.core.shards.QueueConfig;
import io.rwautoscaler.core.shards.RemoteWriteEntry;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one place a queueConfig change reaches the cluster, and the one place recommend mode is decided.
 *
 * <p>The patch is a JSON patch built from a fresh read of the resource. It touches only
 * {@code spec/remoteWrite/<index>/queueConfig/<field>} for the fields that change, and first {@code test}s that the
 * entry at that index still has the url and name we decided on, and that each field still has the value we decided
 * from: a list reordered or edited in between fails the whole patch (409/422), and the loop tries again on a later
 * cycle with what it reads then. Every other field of the entry and the resource stays as it is, the entry's
 * {@code name} included, so the queue's series keep their labels.
 */
public final class QueueConfigPatcher {

    private static final Logger LOG = Logger.getLogger(QueueConfigPatcher.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public enum Outcome {
        /** Sent and accepted. */
        PATCHED("patched"),
        /** Recommend mode: built, not sent. */
        DRY_RUN("dry-run"),
        /** The resource changed since it was read (409, 422, or a field no longer what we decided on). */
        CONFLICT("conflict"),
        /** Any other API error. */
        FAILED("failed"),
        /** Nothing to patch: local mode, where the config is the agent's own file. */
        NOT_PATCHABLE("not-patchable");

        private final String wireName;

        Outcome(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** Whether trying again later makes sense (the loop backs off between tries). */
        public boolean failed() {
            return this == CONFLICT || this == FAILED;
        }
    }

    /** @param patch the JSON patch sent, or that would have been sent; empty when none could be built */
    public record Result(Outcome outcome, String detail, Optional<String> patch) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
            patch = patch == null ? Optional.empty() : patch;
        }
    }

    private final Optional<KubernetesClient> client;
    private final ShardsConfig.Mode mode;

    /** @param client empty in local mode */
    public QueueConfigPatcher(Optional<KubernetesClient> client, ShardsConfig.Mode mode) {
        this.client = Objects.requireNonNull(client, "client");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public ShardsConfig.Mode mode() {
        return mode;
    }

    /** Moves the entry's queueConfig from {@code current} (what the decision read) to {@code next}. */
    public Result apply(Agent agent, RemoteWriteEntry entry, QueueConfig current, QueueConfig next) {
        if (agent.isLocal() || client.isEmpty()) {
            return new Result(Outcome.NOT_PATCHABLE, "local mode: " + agent.name() + " runs from its own config"
                    + " file; set " + next + " there by hand", Optional.empty());
        }
        PrometheusKinds kind = PrometheusKinds.of(agent.kind());
        String where = agent + " " + entry;
        try {
            GenericKubernetesResource fresh = client.get().genericKubernetesResources(kind.context())
                    .inNamespace(agent.namespace()).withName(agent.name()).get();
            if (fresh == null) {
                return new Result(Outcome.CONFLICT, where + ": the resource is gone", Optional.empty());
            }
            Built built = build(fresh, entry, current, next);
            if (built.conflict != null) {
                return new Result(Outcome.CONFLICT, where + ": " + built.conflict, Optional.empty());
            }
            String patch = built.patch;
            if (mode == ShardsConfig.Mode.RECOMMEND) {
                return new Result(Outcome.DRY_RUN, "recommend mode: not patched (" + current.changesTo(next) + ")",
                        Optional.of(patch));
            }
            client.get().genericKubernetesResources(kind.context()).inNamespace(agent.namespace())
                    .withName(agent.name()).patch(PatchContext.of(PatchType.JSON), patch);
            LOG.infof("patched %s: %s", where, current.changesTo(next));
            return new Result(Outcome.PATCHED, current.changesTo(next), Optional.of(patch));
        } catch (KubernetesClientException e) {
            int code = e.getCode();
            Outcome outcome = code == 409 || code == 422 ? Outcome.CONFLICT : Outcome.FAILED;
            String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getMessage();
            LOG.warnf("patch of %s failed (HTTP %d): %s", where, code, why);
            return new Result(outcome, where + ": HTTP " + code + ": " + why, Optional.empty());
        }
    }

    private record Built(String patch, String conflict) {
    }

    /** The JSON patch against {@code fresh}, or why it cannot be built without overwriting someone else's edit. */
    static Built build(GenericKubernetesResource fresh, RemoteWriteEntry entry, QueueConfig current,
                       QueueConfig next) {
        Object spec = fresh.getAdditionalProperties().get("spec");
        Object list = spec instanceof Map<?, ?> m ? m.get("remoteWrite") : null;
        if (!(list instanceof List<?> items) || entry.index() < 0 || entry.index() >= items.size()
                || !(items.get(entry.index()) instanceof Map<?, ?> item)) {
            return new Built(null, "remoteWrite[" + entry.index() + "] is no longer there");
        }
        Object url = item.get("url");
        Object name = item.get("name");
        if (!entry.url().equals(url) || !Objects.equals(entry.name().orElse(null), name)) {
            return new Built(null, "remoteWrite[" + entry.index() + "] is now " + name + " " + url
                    + ": the list changed since it was read");
        }
        Map<?, ?> queueConfig = item.get("queueConfig") instanceof Map<?, ?> q ? q : null;
        String base = "/spec/remoteWrite/" + entry.index();
        ArrayNode ops = JSON.arrayNode();
        ops.add(op("test", base + "/url").put("value", entry.url()));
        entry.name().ifPresent(n -> ops.add(op("test", base + "/name").put("value", n)));

        int[] from = ints(current);
        int[] to = ints(next);
        OptionalInt[] declared = declared(current);
        ObjectNode whole = JSON.objectNode();
        for (int f = 0; f < from.length; f++) {
            if (from[f] == to[f]) {
                continue;
            }
            String field = RemoteWriteSpecs.TUNED_FIELDS.get(f);
            Object live = queueConfig == null ? null : queueConfig.get(field);
            OptionalInt liveValue = live == null ? OptionalInt.empty() : RemoteWriteSpecs.positiveInt(live);
            if (!liveValue.equals(declared[f])) {
                return new Built(null, "queueConfig." + field + " is now " + live + ", not "
                        + (declared[f].isPresent() ? declared[f].getAsInt() : "unset") + " as read");
            }
            if (queueConfig == null) {
                whole.put(field, to[f]);
                continue;
            }
            if (liveValue.isPresent()) {
                ops.add(op("test", base + "/queueConfig/" + field).put("value", liveValue.getAsInt()));
            }
            ops.add(op("add", base + "/queueConfig/" + field).put("value", to[f]));
        }
        if (queueConfig == null) {
            ops.add(op("add", base + "/queueConfig").set("value", whole));
        }
        try {
            return new Built(MAPPER.writeValueAsString(ops), null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode op(String op, String path) {
        ObjectNode n = JSON.objectNode();
        n.put("op", op);
        n.put("path", path);
        return n;
    }

    private static int[] ints(QueueConfig c) {
        return new int[] {c.effectiveMinShards(), c.effectiveMaxShards(), c.effectiveCapacity(),
                c.effectiveMaxSamplesPerSend()};
    }

    private static OptionalInt[] declared(QueueConfig c) {
        return new OptionalInt[] {c.minShards(), c.maxShards(), c.capacity(), c.maxSamplesPerSend()};
    }
}
